package dev.harp.ratelimit;

import io.micrometer.core.instrument.Counter;

import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * This node's table of {@link LocalKey}s for one policy: decides without a cluster call. Bounded by
 * {@code maxKeys}; a full table evicts a key (counted) rather than grow.
 */
final class LocalLimiter {

  private final Rates rates;
  private final Decision.Source source;
  private final long maxKeys;
  private final Counter evicted;
  private final ConcurrentHashMap<String, LocalKey> keys = new ConcurrentHashMap<>();
  private final Queue<LocalKey> dirty;

  /** @param synced whether keys queue themselves for {@link LocalSync} (local mode) or stay local (fallback) */
  LocalLimiter(Rates rates, Decision.Source source, long maxKeys, Counter evicted, boolean synced) {
    this.rates = rates;
    this.source = source;
    this.maxKeys = maxKeys;
    this.evicted = evicted;
    this.dirty = synced ? new ConcurrentLinkedQueue<>() : null;
  }

  /** @param weight the charge per admission, or NaN for each key's own (local mode) */
  Decision decide(String key, long now, double weight) {
    while (true) {
      LocalKey k = keys.get(key);
      if (k == null) {
        if (keys.size() >= maxKeys) {
          evictOne();
        }
        k = keys.computeIfAbsent(key, name -> new LocalKey(name, rates));
      }
      Decision d = k.decide(now, weight, dirty, source);
      if (d != null) {
        return d;
      }
      keys.remove(key, k);
    }
  }

  /**
   * Raises a key's view to the cluster's latest word for it (never lowers it), so that a fallback decision continues
   * from the state the cluster last gave this node instead of from a full budget: a cluster call that outlives
   * {@code clusterTimeout} must not hand a client that has spent its budget a fresh one (a CI run admitted a request
   * against a spent limit of one that way). Best effort: a full table takes no new key rather than evict one.
   */
  void learn(String key, long[] tats) {
    LocalKey k = keys.get(key);
    if (k == null) {
      if (keys.size() >= maxKeys) {
        return;
      }
      k = keys.computeIfAbsent(key, name -> new LocalKey(name, rates));
    }
    k.learn(tats);
  }

  Queue<LocalKey> dirty() {
    return dirty;
  }

  Rates rates() {
    return rates;
  }

  int size() {
    return keys.size();
  }

  /** Drops keys idle for {@code idleNanos} whose state is as good as new; returns how many. */
  int sweep(long now, long idleNanos) {
    int n = 0;
    for (Iterator<LocalKey> it = keys.values().iterator(); it.hasNext(); ) {
      if (it.next().retireIfIdle(now, idleNanos)) {
        it.remove();
        n++;
      }
    }
    return n;
  }

  private void evictOne() {
    for (Iterator<LocalKey> it = keys.values().iterator(); it.hasNext(); ) {
      LocalKey k = it.next();
      if (k.evict()) {
        it.remove();
        evicted.increment();
        return;
      }
    }
  }
}
