package dev.harp.auth;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** What forward auth concluded about one set of credentials. */
sealed interface Decision {

  /** The auth endpoint answered 2xx; {@code identityHeaders} are the configured ones it returned. */
  record Allowed(Map<String, String> identityHeaders, String user, List<String> groups) implements Decision {
  }

  /** The auth endpoint answered 401 or 403. */
  record Denied(int status) implements Decision {
  }

  /** The auth endpoint failed, timed out or answered anything else: never cached, answered 503. */
  record Unavailable(String reason) implements Decision {
  }

  /**
   * A decision as the cluster stores it (Java-serialised, every member runs the same classes). {@code expiresAt}
   * (epoch ms) makes expiry exact whatever the map's own eviction timing; {@code user} lets a logout by user find it.
   */
  record Cached(int status, Map<String, String> identityHeaders, String user, List<String> groups, long expiresAt)
      implements Serializable {

    static Cached of(Decision d, long expiresAt) {
      if (d instanceof Allowed a) {
        return new Cached(200, Map.copyOf(a.identityHeaders()), a.user(), List.copyOf(a.groups()), expiresAt);
      }
      return new Cached(((Denied) d).status(), Map.of(), null, List.of(), expiresAt);
    }

    Decision decision() {
      return status == 200 ? new Allowed(identityHeaders, user, groups) : new Denied(status);
    }
  }
}
