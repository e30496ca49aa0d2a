package dev.harp.auth;

import java.util.List;

/**
 * Who a request comes from, once auth accepted it; in {@code ProxyExchange.attributes()} under
 * {@link AuthAttributes#IDENTITY}.
 *
 * @param name   the user the auth endpoint named ({@code auth.forward.userHeader}), or the consumer's name
 * @param groups for route rules with access {@code admin}
 */
public record Identity(String name, List<String> groups, Source source) {

  public Identity {
    groups = List.copyOf(groups);
  }

  public enum Source {
    /** A session the auth endpoint accepted (forward auth). */
    SESSION,
    /** A consumer's API key. */
    API_KEY
  }
}
