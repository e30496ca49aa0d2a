package dev.harp.admin.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** What a request's {@code Authorization} field holds, parsed once. */
sealed interface PresentedCredentials {

  record Missing() implements PresentedCredentials {
  }

  /** A scheme HARP does not take, or a Basic value that does not decode to {@code user:password}. */
  record Malformed(String reason) implements PresentedCredentials {
  }

  record Basic(String user, String password) implements PresentedCredentials {
    @Override
    public String toString() {
      return "Basic[user=" + user + "]";
    }
  }

  record Bearer(String token) implements PresentedCredentials {
    @Override
    public String toString() {
      return "Bearer[<redacted>]";
    }
  }

  static PresentedCredentials parse(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return new Missing();
    }
    String value = authorization.trim();
    int space = value.indexOf(' ');
    if (space < 0) {
      return new Malformed("no credentials after the scheme");
    }
    String scheme = value.substring(0, space);
    String rest = value.substring(space + 1).trim();
    if (scheme.equalsIgnoreCase("Bearer")) {
      return rest.isEmpty() ? new Malformed("empty bearer token") : new Bearer(rest);
    }
    if (!scheme.equalsIgnoreCase("Basic")) {
      return new Malformed("scheme must be Basic or Bearer");
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(rest), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return new Malformed("Basic credentials are not base64");
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      return new Malformed("Basic credentials must be user:password");
    }
    return new Basic(decoded.substring(0, colon), decoded.substring(colon + 1));
  }
}
