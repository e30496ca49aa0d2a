package dev.harp.ratelimit;

import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.function.IntSupplier;

/**
 * Local mode's reconciliation: every {@code syncInterval} each key this node touched since the last round sends its
 * admissions and demand to the cluster ({@link SyncProcessor}) and adopts the answer. Runs on its own context, never
 * on a request's path. A failed sync keeps its counts for the next round (counted in metrics).
 *
 * <p>Weight: if this node saw a share s of the key's requests cluster-wide last round, each of its admissions stands
 * for about 1/s admissions cluster-wide until the next sync. Clamped to [1, members]: never more permissive than a
 * node alone, never stricter than an even split.
 */
final class LocalSync {

  /** Keys synced per round at most; the rest wait for the next round (their counts keep accumulating). */
  static final int MAX_PER_ROUND = 20_000;

  private final IMap<String, long[]> map;
  private final LocalLimiter limiter;
  private final long member;
  private final long staleNanos;
  private final IntSupplier members;
  private final RateLimitMetrics metrics;

  LocalSync(IMap<String, long[]> map, LocalLimiter limiter, long member, long intervalNanos, IntSupplier members,
            RateLimitMetrics metrics) {
    this.map = map;
    this.limiter = limiter;
    this.member = member;
    this.staleNanos = 3 * intervalNanos;
    this.members = members;
    this.metrics = metrics;
  }

  /** One round; call on the sync context. */
  void round(Context context) {
    Queue<LocalKey> dirty = limiter.dirty();
    int budget = MAX_PER_ROUND;
    List<LocalKey> busy = new ArrayList<>();
    LocalKey k;
    while (budget-- > 0 && (k = dirty.poll()) != null) {
      if (!sync(k, context)) {
        busy.add(k);
      }
    }
    dirty.addAll(busy);
  }

  /** @return false if the key's previous sync is still in flight (it stays queued) */
  private boolean sync(LocalKey key, Context context) {
    LocalKey.Snapshot snap = key.snapshot(WallClock.nanos());
    if (snap == null) {
      return false;
    }
    SyncProcessor processor = new SyncProcessor(limiter.rates(), snap.admitted(), snap.ownAhead(), snap.offered(),
        member, staleNanos);
    Future<long[]> answer;
    try {
      answer = Future.fromCompletionStage(map.submitToKey(key.key(), processor), context);
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    answer.onComplete(ar -> {
      if (ar.succeeded()) {
        long[] r = ar.result();
        key.adopt(r, 3, weight(r[1], r[2], key.weight(), members.getAsInt()));
        metrics.synced(true);
      } else {
        if (key.restore(snap)) {
          limiter.dirty().add(key);
        }
        metrics.synced(false);
      }
    });
    return true;
  }

  /** The new weight from one round's demand: total / own, clamped to [1, members]; kept if we saw nothing. */
  static double weight(long own, long total, double previous, int members) {
    if (own <= 0) {
      return previous;
    }
    return Math.max(1.0, Math.min(Math.max(1, members), (double) total / own));
  }
}
