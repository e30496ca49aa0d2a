package dev.harp.resilience;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Passive outlier detection for one endpoint on this node: counts failures in a row and says when the endpoint
 * should be ejected, for how long. Each ejection doubles the previous one up to the maximum; an endpoint that stays
 * clear of ejections for the maximum duration starts again from the base.
 */
final class OutlierTracker {

  private final OutlierSettings settings;
  private final AtomicInteger consecutive = new AtomicInteger();
  /** Ejections so far in the current streak, and when the last one ended (guarded by this). */
  private int streak;
  private long lastEjectionEndMillis;

  OutlierTracker(OutlierSettings settings) {
    this.settings = settings;
  }

  /** Hot path: one volatile read while there are no failures. */
  void success() {
    if (consecutive.get() != 0) {
      consecutive.set(0);
    }
  }

  /** Counts one failure; returns the ejection (ms) it triggers, or 0. Exactly one caller sees the threshold. */
  long failure() {
    if (consecutive.incrementAndGet() != settings.consecutiveFailures()) {
      return 0;
    }
    return nextEjectionMillis(System.currentTimeMillis());
  }

  private synchronized long nextEjectionMillis(long now) {
    long max = settings.maxEjection().toMillis();
    if (lastEjectionEndMillis != 0 && now - lastEjectionEndMillis > max) {
      streak = 0;
    }
    long duration = Math.min(max, settings.baseEjection().toMillis() << Math.min(streak, 30));
    streak++;
    lastEjectionEndMillis = now + duration;
    return duration;
  }

  /** The ejection was not applied (too many endpoints out already): it must not lengthen the next one. */
  synchronized void ejectionSkipped() {
    streak = Math.max(0, streak - 1);
    consecutive.set(0);
  }

  /** The ejection ended: count afresh, so the endpoint gets {@code consecutiveFailures} more chances. */
  void ejectionEnded() {
    consecutive.set(0);
  }

  int consecutiveFailures() {
    return consecutive.get();
  }
}
