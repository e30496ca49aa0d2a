package dev.harp.ratelimit;

import java.util.Queue;

/**
 * One key's state on this node: a local view of its TATs. In local mode the view is the cluster's last word plus
 * this node's admissions since, each charged {@code weight} times (its estimate of how many requests the whole
 * cluster admits per request of its own); as the fallback of a cluster policy the weight is the member count.
 * Every event loop touches a key, so its monitor guards it; the critical sections are a few arithmetic operations.
 */
final class LocalKey {

  private final String key;
  private final Rates rates;
  private final long[] view;
  private long[] cost;
  private double weight = 1;
  private long pending;
  private long offered;
  private long lastUsed;
  private boolean queued;
  private boolean removed;

  LocalKey(String key, Rates rates) {
    this.key = key;
    this.rates = rates;
    this.view = new long[rates.size()];
    this.cost = rates.emission().clone();
  }

  String key() {
    return key;
  }

  /**
   * @param fixedWeight the weight to charge, or NaN for this key's own (local mode)
   * @param dirty       where a key with news for the cluster queues itself; null when nothing is synced
   * @return the decision, or null if the key was dropped concurrently (the caller retries with a fresh one)
   */
  synchronized Decision decide(long now, double fixedWeight, Queue<LocalKey> dirty, Decision.Source source) {
    if (removed) {
      return null;
    }
    lastUsed = now;
    offered++;
    if (!Double.isNaN(fixedWeight) && fixedWeight != weight) {
      weigh(fixedWeight);
    }
    int admitted = Gcra.admit(view, cost, rates.tolerance(), now, 1);
    if (admitted > 0) {
      pending++;
    }
    if (dirty != null && !queued) {
      queued = true;
      dirty.add(this);
    }
    Quota quota = new Quota(now, view.clone());
    return admitted > 0 ? new Decision.Admitted(source, quota)
        : new Decision.Limited(source, quota, Gcra.retryAfter(view, rates.tolerance(), now));
  }

  /** Takes what the cluster has not seen yet: {@code [admitted, offered]} since the last snapshot. */
  synchronized long[] snapshot() {
    long[] out = {pending, offered};
    pending = 0;
    offered = 0;
    queued = false;
    return out;
  }

  /**
   * Adopts the cluster's TATs (which now include every node's reported admissions, ours too), then re-applies the
   * admissions made while the sync was in flight, and takes the new weight.
   */
  synchronized void adopt(long clusterNow, long[] clusterTats, int offset, double newWeight) {
    weigh(newWeight);
    for (int k = 0; k < view.length; k++) {
      view[k] = Math.max(clusterTats[offset + k], clusterNow) + pending * cost[k];
    }
  }

  /** A sync failed: what it carried goes into the next one, so no admission escapes the cluster's count. */
  synchronized boolean restore(long delta, long demand) {
    pending += delta;
    offered += demand;
    boolean requeue = !queued && !removed;
    queued = queued || requeue;
    return requeue;
  }

  synchronized double weight() {
    return weight;
  }

  /** Drops the key if nothing about it is pending and its state is as good as new. */
  synchronized boolean retireIfIdle(long now, long idleNanos) {
    if (queued || pending > 0 || now - lastUsed < idleNanos) {
      return false;
    }
    for (long t : view) {
      if (t > now) {
        return false;
      }
    }
    removed = true;
    return true;
  }

  /** Drops the key whatever its state (storage pressure); returns false if it has news the cluster must get. */
  synchronized boolean evict() {
    if (queued) {
      return false;
    }
    removed = true;
    return true;
  }

  private void weigh(double w) {
    weight = w;
    long[] t = rates.emission();
    for (int k = 0; k < t.length; k++) {
      cost[k] = Math.max(t[k], Math.round(t[k] * w));
    }
  }
}
