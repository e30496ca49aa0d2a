package dev.harp.ratelimit;

import com.hazelcast.map.IMap;
import dev.harp.cluster.WallClock;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.IntSupplier;

/**
 * Local mode's reconciliation: every {@code syncInterval} the keys this node touched since the last round send their
 * admissions and demand to the cluster and adopt the answer, one {@link SyncProcessor} call per bucket (so a round
 * costs at most {@link Buckets#COUNT} calls, however many keys were busy). Runs on its own context, never on a
 * request's path. A failed sync keeps its counts for the next round (counted in metrics).
 *
 * <p>Weight: if this node saw a share s of the key's requests cluster-wide last round, each of its admissions stands
 * for about 1/s admissions cluster-wide until the next sync. Clamped to [1, members]: never more permissive than a
 * node alone, never stricter than an even split.
 */
final class LocalSync {

  /** Keys synced per round at most; the rest wait for the next round (their counts keep accumulating). */
  static final int MAX_PER_ROUND = 50_000;

  private final IMap<String, KeyBucket> map;
  private final String policyId;
  private final LocalLimiter limiter;
  private final int capacity;
  private final long member;
  private final long staleNanos;
  private final IntSupplier members;
  private final RateLimitMetrics metrics;
  private final Counter evictions;

  LocalSync(IMap<String, KeyBucket> map, String policyId, LocalLimiter limiter, int capacity, long member,
            long intervalNanos, IntSupplier members, RateLimitMetrics metrics, Counter evictions) {
    this.map = map;
    this.policyId = policyId;
    this.limiter = limiter;
    this.capacity = capacity;
    this.member = member;
    this.staleNanos = 3 * intervalNanos;
    this.members = members;
    this.metrics = metrics;
    this.evictions = evictions;
  }

  /** One round; call on the sync context. */
  void round(Context context) {
    Queue<LocalKey> dirty = limiter.dirty();
    long now = WallClock.nanos();
    Map<String, Map<String, LocalKey.Snapshot>> byBucket = new LinkedHashMap<>();
    Map<String, LocalKey> keys = new LinkedHashMap<>();
    List<LocalKey> busy = new ArrayList<>();
    int budget = MAX_PER_ROUND;
    LocalKey k;
    while (budget-- > 0 && (k = dirty.poll()) != null) {
      LocalKey.Snapshot snap = k.snapshot(now);
      if (snap == null) {
        busy.add(k);
        continue;
      }
      byBucket.computeIfAbsent(Buckets.of(policyId, k.key()), b -> new LinkedHashMap<>()).put(k.key(), snap);
      keys.put(k.key(), k);
    }
    dirty.addAll(busy);
    byBucket.forEach((bucket, snaps) -> sync(bucket, snaps, keys, context));
  }

  private void sync(String bucket, Map<String, LocalKey.Snapshot> snaps, Map<String, LocalKey> keys,
                    Context context) {
    Map<String, long[]> args = new LinkedHashMap<>();
    snaps.forEach((key, s) -> args.put(key, SyncStep.args(s.admitted(), s.offered(), s.ownAhead())));
    Future<Map<String, long[]>> answer;
    try {
      answer = Future.fromCompletionStage(map.submitToKey(bucket,
          new SyncProcessor(limiter.rates(), capacity, member, staleNanos, args)), context);
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    answer.onComplete(ar -> {
      metrics.synced(ar.succeeded());
      long[] evicted = ar.succeeded() ? ar.result().get(BucketProcessor.EVICTED) : null;
      if (evicted != null) {
        evictions.increment(evicted[0]);
      }
      snaps.forEach((key, snap) -> {
        LocalKey local = keys.get(key);
        long[] r = ar.succeeded() ? ar.result().get(key) : null;
        if (r != null) {
          local.adopt(r, 3, weight(r[1], r[2], local.weight(), members.getAsInt()));
        } else if (local.restore(snap)) {
          limiter.dirty().add(local);
        }
      });
    });
  }

  /** The new weight from one round's demand: total / own, clamped to [1, members]; kept if we saw nothing. */
  static double weight(long own, long total, double previous, int members) {
    if (own <= 0) {
      return previous;
    }
    return Math.max(1.0, Math.min(Math.max(1, members), (double) total / own));
  }
}
