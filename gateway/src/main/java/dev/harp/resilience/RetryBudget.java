package dev.harp.resilience;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many retries one proxy may make on this node: over the last {@code window} seconds, at most {@code percent}%
 * of the requests plus {@code minPerSecond} per second. Per node, not cluster-wide: a cluster-wide count would put a
 * Hazelcast call on every request, and the bound it gives the upstream is the same (each node stays within N% of its
 * own traffic, so the cluster stays within N% of all traffic).
 *
 * <p>Counting a request is one striped-counter add. The window slides once a second ({@link #tick}, from one timer):
 * it keeps the running totals at each second boundary, and a retry compares the totals since the window's start.
 */
final class RetryBudget {

  private final int percent;
  private final long reserve;
  private final LongAdder requests = new LongAdder();
  private final AtomicLong retries = new AtomicLong();
  private final LongAdder exhausted = new LongAdder();
  private final long[] requestMarks;
  private final long[] retryMarks;
  private int slot;
  /** Totals when the window began; written by the ticker, read by retries (a torn pair only skews one decision). */
  private volatile long windowRequests;
  private volatile long windowRetries;

  RetryBudget(RetrySettings.Budget budget) {
    int seconds = (int) budget.window().toSeconds();
    this.percent = budget.percent();
    this.reserve = (long) budget.minPerSecond() * seconds;
    this.requestMarks = new long[seconds];
    this.retryMarks = new long[seconds];
  }

  void request() {
    requests.increment();
  }

  /** Takes one retry from the budget; false (and counted) when it is spent. */
  boolean tryRetry() {
    long allowed = reserve + (requests.sum() - windowRequests) * percent / 100;
    while (true) {
      long total = retries.get();
      if (total - windowRetries >= allowed) {
        exhausted.increment();
        return false;
      }
      if (retries.compareAndSet(total, total + 1)) {
        return true;
      }
    }
  }

  /** Once a second: the oldest second leaves the window. */
  synchronized void tick() {
    requestMarks[slot] = requests.sum();
    retryMarks[slot] = retries.get();
    slot = (slot + 1) % requestMarks.length;
    windowRequests = requestMarks[slot];
    windowRetries = retryMarks[slot];
  }

  long retries() {
    return retries.get();
  }

  long exhausted() {
    return exhausted.sum();
  }

  long requests() {
    return requests.sum();
  }
}
