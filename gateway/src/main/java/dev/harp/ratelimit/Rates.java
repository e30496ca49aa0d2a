package dev.harp.ratelimit;

import java.util.List;

/**
 * A policy's limits as GCRA needs them: per limit an emission interval T and a tolerance τ, in nanoseconds. Arrays,
 * because entry processors carry them to the partition owner on every call.
 */
public record Rates(long[] emission, long[] tolerance, long[] burst) {

  public static Rates of(List<Limit> limits) {
    int m = limits.size();
    long[] t = new long[m];
    long[] tau = new long[m];
    long[] b = new long[m];
    for (int k = 0; k < m; k++) {
      t[k] = limits.get(k).emissionNanos();
      tau[k] = limits.get(k).toleranceNanos();
      b[k] = limits.get(k).burst();
    }
    return new Rates(t, tau, b);
  }

  public int size() {
    return emission.length;
  }
}
