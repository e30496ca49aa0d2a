package dev.harp.ratelimit;

/**
 * The generic cell rate algorithm over one value per limit: the theoretical arrival time (TAT) of the next request.
 * A request at {@code now} passes a limit when {@code max(TAT, now) - now <= τ}, and then moves the TAT on by T. A
 * request passes a policy only if it passes every limit, and then moves all of them: limits never drift apart.
 *
 * <p>Each TAT only moves forward by T per admission, so after x admissions since t0 it is at least t0 + x·T, and an
 * admission needs it at most now + τ: in any window of length W, at most {@code W/T + burst} requests pass. That is
 * the whole accuracy argument, in cluster mode and in local mode alike.
 */
public final class Gcra {

  private Gcra() {
  }

  /**
   * Admits up to {@code n} requests at {@code now} in one step (a coalesced batch), each costing {@code cost[k]}
   * (T, or T × weight in local mode). Updates {@code tats} in place.
   *
   * @return how many were admitted: the first that fails stops the batch, as if they had arrived one by one
   */
  public static int admit(long[] tats, long[] cost, long[] tolerance, long now, int n) {
    long allowed = n;
    for (int k = 0; k < tats.length; k++) {
      long debt = Math.max(tats[k], now) - now;
      long fit = debt > tolerance[k] ? 0 : (tolerance[k] - debt) / cost[k] + 1;
      allowed = Math.min(allowed, fit);
    }
    if (allowed > 0) {
      for (int k = 0; k < tats.length; k++) {
        tats[k] = Math.max(tats[k], now) + allowed * cost[k];
      }
    }
    return (int) allowed;
  }

  /** Nanoseconds from {@code now} until one more request would pass every limit. */
  public static long retryAfter(long[] tats, long[] tolerance, long now) {
    long wait = 0;
    for (int k = 0; k < tats.length; k++) {
      wait = Math.max(wait, Math.max(tats[k], now) - tolerance[k] - now);
    }
    return wait;
  }

  /** Requests that would pass limit k right now (at most its burst). */
  public static long remaining(long tat, long emission, long tolerance, long now) {
    long debt = Math.max(tat, now) - now;
    return debt > tolerance ? 0 : (tolerance - debt) / emission + 1;
  }

  /** Nanoseconds until limit k is fully replenished (its whole burst available again). */
  public static long reset(long tat, long now) {
    return Math.max(0, tat - now);
  }
}
