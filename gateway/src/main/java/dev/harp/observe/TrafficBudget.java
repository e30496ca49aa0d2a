package dev.harp.observe;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The node-wide budget of traffic events per second, shared by every proxy and event loop. A GCRA token bucket held
 * in one {@link AtomicLong} (the theoretical arrival time of the next event), so it is lock-free and admits events
 * evenly through the second instead of spending the whole budget in its first milliseconds.
 *
 * <p>The refusal path, which is the one taken per request under heavy load, is a clock read and a plain volatile
 * read: the shared word is written only by admitted events, at most {@code maxPerSecond} times a second, so its cache
 * line stays shared between cores.
 */
final class TrafficBudget {

  private static final long SECOND = 1_000_000_000L;

  private final LongSupplier nanoClock;
  private final long interval;
  private final long tolerance;
  private final AtomicLong nextAt;

  /** @param maxPerSecond 0 publishes nothing; bursts of up to a tenth of a second's budget pass at once */
  TrafficBudget(int maxPerSecond, LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.interval = maxPerSecond == 0 ? Long.MAX_VALUE : SECOND / maxPerSecond;
    long burst = Math.max(1, maxPerSecond / 10);
    this.tolerance = maxPerSecond == 0 ? -1 : (burst - 1) * interval;
    this.nextAt = new AtomicLong(nanoClock.getAsLong());
  }

  TrafficBudget(int maxPerSecond) {
    this(maxPerSecond, System::nanoTime);
  }

  /** @return whether one more event may be published now */
  boolean tryAcquire() {
    if (tolerance < 0) {
      return false;
    }
    long now = nanoClock.getAsLong();
    long next = nextAt.get();
    while (next - now <= tolerance) {
      // An idle bucket does not save up past its burst: a late event starts from now, not from the old mark.
      long from = next - now < 0 ? now : next;
      long witness = nextAt.compareAndExchange(next, from + interval);
      if (witness == next) {
        return true;
      }
      next = witness;
    }
    return false;
  }
}
