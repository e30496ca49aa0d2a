package dev.harp.ratelimit;

/**
 * A policy ready to decide: its compiled rates, its fixed RateLimit-Policy value and quoted limit names, its limiter
 * and meters.
 */
record PolicyRuntime(Policy policy, Rates rates, String policyHeader, String[] items, Limiter limiter,
                     PolicyMeters meters) {

  PolicyRuntime(Policy policy, Rates rates, Limiter limiter, PolicyMeters meters) {
    this(policy, rates, RateLimitHeaders.policy(policy.limits()), RateLimitHeaders.items(policy.limits()), limiter,
        meters);
  }

  boolean covers(String method, String path) {
    return policy.route() == null || policy.route().matches(method, path);
  }

  String stateHeader(Quota quota) {
    return RateLimitHeaders.state(items, rates, quota);
  }

  /** The limit that refused (the one that frees up last), for the problem's detail. */
  String blockingLimit(Quota quota) {
    int worst = 0;
    long wait = Long.MIN_VALUE;
    for (int k = 0; k < rates.size(); k++) {
      long w = Math.max(quota.tats()[k], quota.now()) - rates.tolerance()[k] - quota.now();
      if (w > wait) {
        wait = w;
        worst = k;
      }
    }
    return policy.limits().get(worst).name();
  }
}
