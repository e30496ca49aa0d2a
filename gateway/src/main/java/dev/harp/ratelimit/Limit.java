package dev.harp.ratelimit;

import dev.harp.config.Durations;

import java.time.Duration;

/**
 * One rate: {@code requests} per {@code per}, of which up to {@code burst} may arrive at once. Under GCRA this is an
 * emission interval {@code T = per / requests} and a tolerance {@code (burst - 1) * T}: in any window of length W at
 * most {@code burst + W / T} requests pass.
 *
 * @param name the policy name advertised in the RateLimit headers
 */
public record Limit(String name, long requests, Duration per, long burst) {

  /** T in nanoseconds, rounded up so rounding never admits more than configured. */
  public long emissionNanos() {
    long perNanos = per.toNanos();
    return Math.max(1, (perNanos + requests - 1) / requests);
  }

  public long toleranceNanos() {
    return (burst - 1) * emissionNanos();
  }

  static String defaultName(long requests, Duration per) {
    return requests + "-per-" + Durations.format(per);
  }
}
