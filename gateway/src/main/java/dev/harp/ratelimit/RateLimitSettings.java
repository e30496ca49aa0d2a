package dev.harp.ratelimit;

import java.util.List;

/**
 * A proxy's {@code rateLimit:} block, validated.
 *
 * @param policies route policies in config order, then the proxy-wide one (if it has limits); a request is checked
 *                 against the first route that matches it and against the proxy-wide policy
 * @param maxKeys  keys each member keeps per proxy, in the cluster map and in a node's local table; beyond it the
 *                 least recently used are evicted, and every eviction is counted
 */
public record RateLimitSettings(List<Policy> policies, long maxKeys) {

  public RateLimitSettings {
    policies = List.copyOf(policies);
  }
}
