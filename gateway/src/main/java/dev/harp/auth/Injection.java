package dev.harp.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A credential HARP adds to every upstream request of a proxy, so the applications behind HARP never hold it
 * ({@code auth.inject}). Values come from {@code ${env:..}} or {@code ${file:..}} references; {@link #toString()} never
 * shows them, so neither logs nor config views can.
 */
public sealed interface Injection {

  /** {@code name: value} on the upstream request, replacing the client's field of that name. */
  record Header(String name, String value) implements Injection {
    @Override
    public String toString() {
      return "Header[name=" + name + ", value=<redacted>]";
    }
  }

  /** {@code Authorization: Bearer <token>}. */
  record Bearer(String token) implements Injection {
    @Override
    public String toString() {
      return "Bearer[<redacted>]";
    }
  }

  /** {@code Authorization: Basic base64(user:password)}. */
  record Basic(String user, String password) implements Injection {
    public String headerValue() {
      return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
      return "Basic[user=" + user + ", password=<redacted>]";
    }
  }

  /** {@code ?name=value} on the upstream request target, replacing the client's parameters of that name. */
  record QueryParam(String name, String value) implements Injection {
    @Override
    public String toString() {
      return "QueryParam[name=" + name + ", value=<redacted>]";
    }
  }
}
