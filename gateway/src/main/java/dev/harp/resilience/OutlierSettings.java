package dev.harp.resilience;

import dev.harp.config.ConfigNode;

import java.time.Duration;
import java.util.Set;

/**
 * The {@code outlier:} block: passive outlier detection, on every node from its own traffic. Consecutive connect
 * errors, resets, timeouts or 5xx responses eject an endpoint for {@code baseEjection}, doubled on each repeat up to
 * {@code maxEjection}; an endpoint that stays clear for {@code maxEjection} starts over from the base.
 *
 * @param consecutiveFailures failures in a row that eject (0 turns detection off)
 * @param maxEjectedPercent   never eject more than this share of a pool's endpoints at once
 */
public record OutlierSettings(int consecutiveFailures, Duration baseEjection, Duration maxEjection,
                              int maxEjectedPercent) {

  public static final String KEY = "outlier";
  public static final int DEFAULT_CONSECUTIVE_FAILURES = 5;
  public static final Duration DEFAULT_BASE_EJECTION = Duration.ofSeconds(10);
  public static final Duration DEFAULT_MAX_EJECTION = Duration.ofMinutes(5);
  public static final int DEFAULT_MAX_EJECTED_PERCENT = 50;

  public static final OutlierSettings DEFAULTS = new OutlierSettings(DEFAULT_CONSECUTIVE_FAILURES,
      DEFAULT_BASE_EJECTION, DEFAULT_MAX_EJECTION, DEFAULT_MAX_EJECTED_PERCENT);

  public boolean enabled() {
    return consecutiveFailures > 0;
  }

  /** Reads the block at {@link #KEY} under a proxy, for {@link ResilienceFilterFactory}. */
  static final class Reader {

    OutlierSettings read(ConfigNode n) {
      n.allowOnly(Set.of("consecutiveFailures", "baseEjection", "maxEjection", "maxEjectedPercent"));
      int failures = (int) n.integer("consecutiveFailures", DEFAULT_CONSECUTIVE_FAILURES, 0, 10_000);
      Duration base = n.duration("baseEjection", DEFAULT_BASE_EJECTION);
      Duration max = n.duration("maxEjection", DEFAULT_MAX_EJECTION);
      if (base.isZero()) {
        n.problem("baseEjection", "must be greater than 0");
      }
      if (max.compareTo(base) < 0) {
        n.problem("maxEjection", "must be at least baseEjection (" + base.toMillis() + " ms)");
      }
      return new OutlierSettings(failures, base, max, (int) n.integer("maxEjectedPercent",
          DEFAULT_MAX_EJECTED_PERCENT, 0, 100));
    }
  }
}
