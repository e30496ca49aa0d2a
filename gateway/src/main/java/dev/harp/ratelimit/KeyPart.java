package dev.harp.ratelimit;

import dev.harp.net.ClientAddressReader;
import dev.harp.net.ClientAddresses;

/** One ingredient of a rate-limit key ({@code by:}); a policy's key joins its parts. */
public sealed interface KeyPart {

  /** The client address (see {@link ClientAddresses}). */
  record Client() implements KeyPart {
  }

  /** The consumer an earlier interceptor (auth) named in the exchange attribute {@code consumer}. */
  record Consumer() implements KeyPart {
  }

  /**
   * The key a filter published as {@code Attachments.RATE_LIMIT_KEY}, e.g. a rule's {@code rateLimitKey}; requests
   * no filter keyed are keyed by their client address.
   */
  record Rule() implements KeyPart {
  }

  /** A request header's value; requests without it share one empty value. */
  record Header(String name) implements KeyPart {
  }

  /** The request path without its query, in canonical form ({@link dev.harp.http.CanonicalPath}). */
  record Path() implements KeyPart {
  }

  /** @throws IllegalArgumentException with a user-facing reason */
  static KeyPart parse(String text) {
    String s = text.trim();
    if (s.startsWith("header:")) {
      String name = s.substring("header:".length()).trim();
      if (!ClientAddressReader.TOKEN.matcher(name).matches()) {
        throw new IllegalArgumentException("'" + text + "' needs a header name after 'header:'");
      }
      return new Header(name);
    }
    return switch (s) {
      case "client" -> new Client();
      case "consumer" -> new Consumer();
      case "path" -> new Path();
      case "rule" -> new Rule();
      default -> throw new IllegalArgumentException(
          "'" + text + "' is not a key (client, consumer, rule, header:<name>, path)");
    };
  }
}
