package dev.harp.resilience;

import dev.harp.config.ConfigNode;

import java.util.Set;

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

  /** The keys under a proxy that resilience reads. */
  static final Set<String> KEYS = Set.of(RetrySettings.KEY, BreakerSettings.KEY, HealthSettings.KEY,
      OutlierSettings.KEY);
  /** A proxy without any of the blocks. */
  static final ResilienceSettings NONE = new ResilienceSettings(null, null, null, null);

  /** Reads the blocks present under a proxy, each problem with its key path ({@code proxies[0].retry.x}). */
  static ResilienceSettings read(ConfigNode proxy) {
    return new ResilienceSettings(
        proxy.has(RetrySettings.KEY) ? new RetrySettings.Reader().read(proxy.object(RetrySettings.KEY)) : null,
        proxy.has(BreakerSettings.KEY) ? new BreakerSettings.Reader().read(proxy.object(BreakerSettings.KEY)) : null,
        proxy.has(HealthSettings.KEY) ? new HealthSettings.Reader().read(proxy.object(HealthSettings.KEY)) : null,
        proxy.has(OutlierSettings.KEY) ? new OutlierSettings.Reader().read(proxy.object(OutlierSettings.KEY)) : null);
  }

  /**
   * What runs on a proxy with these blocks: null when it uses none of it (it then keeps the plain one-attempt
   * path), else these with the outlier defaults filled in.
   *
   * @param fallback whether the proxy has a fallback pool
   */
  ResilienceSettings effective(boolean fallback) {
    if (retry == null && breaker == null && health == null && outlier == null && !fallback) {
      return null;
    }
    return new ResilienceSettings(retry, breaker, health, outlier == null ? OutlierSettings.DEFAULTS : outlier);
  }
}
