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
  /** This node's own admissions since the last snapshot as a GCRA of their own (cost T, from an empty state). */
  private final long[] own;
  private long snapshotAt;
  private long[] cost;
  private double weight = 1;
  private long pending;
  private long offered;
  private long lastUsed;
  private boolean queued;
  private boolean syncing;
  private boolean removed;

  LocalKey(String key, Rates rates) {
    this.key = key;
    this.rates = rates;
    this.view = new long[rates.size()];
    this.own = new long[rates.size()];
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
      long[] t = rates.emission();
      for (int k = 0; k < own.length; k++) {
        own[k] = Math.max(own[k], now) + t[k];
      }
    }
    if (dirty != null && !queued) {
      queued = true;
      dirty.add(this);
    }
    Quota quota = new Quota(now, view.clone());
    return admitted > 0 ? new Decision.Admitted(source, quota)
        : new Decision.Limited(source, quota, Gcra.retryAfter(view, rates.tolerance(), now));
  }

  /** Takes the cluster's TATs where they are later than this node's view (a dropped key takes nothing). */
  synchronized void learn(long[] clusterTats) {
    if (removed) {
      return;
    }
    for (int k = 0; k < view.length; k++) {
      view[k] = Math.max(view[k], clusterTats[k]);
    }
  }

  /** What the cluster has not seen yet, taken at {@code now}. */
  record Snapshot(long admitted, long offered, long[] own, long at) {

    /** Own TATs relative to the snapshot time, so the partition owner can place them on its own clock. */
    long[] ownAhead() {
      long[] ahead = new long[own.length];
      for (int k = 0; k < own.length; k++) {
        ahead[k] = own[k] == 0 ? SyncStep.NONE : own[k] - at;
      }
      return ahead;
    }
  }

  /**
   * Takes the news for the cluster, or returns null while the previous sync is still in flight (its answer must be
   * adopted against the snapshot it was made from); the key then waits for the next round.
   */
  synchronized Snapshot snapshot(long now) {
    if (syncing) {
      return null;
    }
    syncing = true;
    Snapshot s = new Snapshot(pending, offered, own.clone(), now);
    pending = 0;
    offered = 0;
    java.util.Arrays.fill(own, 0);
    snapshotAt = now;
    queued = false;
    return s;
  }

  /**
   * Adopts the cluster's TATs (which now include every node's reported admissions, ours too), then re-applies the
   * admissions made while the sync was in flight, and takes the new weight.
   */
  synchronized void adopt(long[] clusterTats, int offset, double newWeight) {
    syncing = false;
    weigh(newWeight);
    for (int k = 0; k < view.length; k++) {
      // The admissions since the snapshot all happened after it: flooring there never undercounts them.
      view[k] = Math.max(clusterTats[offset + k], snapshotAt) + pending * cost[k];
    }
  }

  /** A sync failed: what it carried goes into the next one, so no admission escapes the cluster's count. */
  synchronized boolean restore(Snapshot lost) {
    syncing = false;
    long[] t = rates.emission();
    for (int k = 0; k < own.length; k++) {
      // The lost admissions came first: GCRA over both runs is the later of "lost, then these" and "these alone".
      if (lost.own()[k] != 0) {
        own[k] = Math.max(own[k], lost.own()[k] + pending * t[k]);
      }
    }
    pending += lost.admitted();
    offered += lost.offered();
    boolean requeue = !queued && !removed;
    queued = queued || requeue;
    return requeue;
  }

  synchronized double weight() {
    return weight;
  }

  /** Drops the key if nothing about it is pending and its state is as good as new. */
  synchronized boolean retireIfIdle(long now, long idleNanos) {
    if (queued || syncing || pending > 0 || now - lastUsed < idleNanos) {
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
    if (queued || syncing) {
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
