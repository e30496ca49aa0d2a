package dev.harp.resilience;

import dev.harp.config.ProxyConfig;

/**
 * One proxy's resilience blocks, each null when absent. Resilience is on for a proxy that has any of them or a
 * fallback pool; passive outlier detection then runs with its defaults unless an {@code outlier:} block says
 * otherwise (a fallback pool is useless without something that notices the primary pool is down, and retries
 * without ejection would keep paying for a dead endpoint). Named pools ({@code upstream.pools}) alone do not turn it
 * on: a pool only takes what a filter routes to it, like a proxy whose whole upstream is that pool; where resilience
 * is on, its guards cover pool endpoints like any other.
 */
record ResilienceSettings(RetrySettings retry, BreakerSettings breaker, HealthSettings health,
                          OutlierSettings outlier) {

  /** Null when the proxy uses none of it: it then keeps the plain one-attempt path. */
  static ResilienceSettings of(ProxyConfig config) {
    RetrySettings retry = config.<RetrySettings>feature(RetrySettings.KEY).orElse(null);
    BreakerSettings breaker = config.<BreakerSettings>feature(BreakerSettings.KEY).orElse(null);
    HealthSettings health = config.<HealthSettings>feature(HealthSettings.KEY).orElse(null);
    OutlierSettings outlier = config.<OutlierSettings>feature(OutlierSettings.KEY).orElse(null);
    boolean fallback = !config.upstream().fallback().isEmpty();
    if (retry == null && breaker == null && health == null && outlier == null && !fallback) {
      return null;
    }
    return new ResilienceSettings(retry, breaker, health, outlier == null ? OutlierSettings.DEFAULTS : outlier);
  }
}
