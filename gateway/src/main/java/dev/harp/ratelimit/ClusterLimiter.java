package dev.harp.ratelimit;

import com.hazelcast.map.IMap;
import dev.harp.cluster.WallClock;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Cluster mode: every decision is an atomic GCRA step on the owner of the key's bucket ({@link Buckets}).
 *
 * <p>Coalescing, per event loop (thread-local state: nothing here is shared between threads): while a call for a
 * bucket is in flight, requests for any key of that bucket wait; when it lands, the next call carries all of them,
 * and the owner decides each key's requests in order, each key in one step. Still exact; but an event loop has at
 * most one call per bucket in flight, however many keys and requests wait, so a partition thread wakes once per
 * round trip and bucket, not once per request. (Measured here: a Hazelcast entry-processor call costs ~19 µs of CPU;
 * one per request cost more than the whole proxied request. {@code submitToKeys} was no better: 25-45 µs per key,
 * each per-partition operation walks every key of the call.)
 *
 * <p>A call that fails, or takes longer than {@code clusterTimeout} (a Vert.x timer: the loop never waits), hands its
 * requests to {@code onClusterFailure}. A late answer decides nothing; the owner may still have charged the keys,
 * which errs towards refusing, never towards admitting. Every answer, late ones too, teaches the {@code local}
 * fallback each key's state, so a fallback decision starts from the cluster's last word, not from a full budget.
 */
final class ClusterLimiter implements Limiter {

  static final int MAX_RIDERS = 1024;
  /**
   * Calls one event loop may have outstanding per policy, counted until Hazelcast answers (a timed-out call still
   * runs). Beyond it, requests go straight to {@code onClusterFailure} (reason {@code overload}) instead of piling
   * more work onto partition threads that are already behind.
   */
  static final int MAX_OUTSTANDING = 64;

  private final IMap<String, KeyBucket> map;
  private final String policyId;
  private final Rates rates;
  private final int capacity;
  private final long timeoutMillis;
  private final OnClusterFailure onFailure;
  private final LocalLimiter fallback;
  private final IntSupplier members;
  private final PolicyMeters meters;
  private final Counter evictions;
  private final FailureLog failureLog;
  private final ThreadLocal<Loop> loops = ThreadLocal.withInitial(Loop::new);

  ClusterLimiter(IMap<String, KeyBucket> map, String proxy, Policy policy, Rates rates, int capacity,
                 LocalLimiter fallback, IntSupplier members, PolicyMeters meters, Counter evictions) {
    this.map = map;
    this.policyId = policy.id();
    this.rates = rates;
    this.capacity = capacity;
    this.timeoutMillis = Math.max(1, policy.clusterTimeout().toMillis());
    this.onFailure = policy.onClusterFailure();
    this.fallback = fallback;
    this.members = members;
    this.meters = meters;
    this.evictions = evictions;
    this.failureLog = new FailureLog(proxy, policy.id(), onFailure);
  }

  /** One event loop's buckets with a call in flight, and its calls Hazelcast has not answered yet. */
  private static final class Loop {
    final HashMap<String, Batch> open = new HashMap<>();
    int outstanding;
  }

  private record Rider(String key, Consumer<Decision> then) {
  }

  /** The requests for one bucket on one loop: those riding the call in flight, and those waiting for the next. */
  private static final class Batch {
    final String bucket;
    final ArrayDeque<Rider> waiting = new ArrayDeque<>(4);

    Batch(String bucket) {
      this.bucket = bucket;
    }
  }

  private static final class Flight {
    final Batch batch;
    /** The riders by key, each key's in arrival order. */
    final LinkedHashMap<String, List<Consumer<Decision>>> riders = new LinkedHashMap<>();
    final long started = System.nanoTime();
    long timer = -1;
    boolean landed;

    Flight(Batch batch) {
      this.batch = batch;
    }
  }

  @Override
  public void decide(String key, Consumer<Decision> then) {
    Context context = Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException("cluster rate-limit decisions run on an event loop");
    }
    Loop loop = loops.get();
    String bucket = Buckets.of(policyId, key);
    Batch batch = loop.open.get(bucket);
    if (batch != null) {
      batch.waiting.add(new Rider(key, then));
      meters.coalesced();
      return;
    }
    batch = new Batch(bucket);
    loop.open.put(bucket, batch);
    batch.waiting.add(new Rider(key, then));
    fly(loop, batch, context);
  }

  private void fly(Loop loop, Batch batch, Context context) {
    Flight flight = new Flight(batch);
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (int i = 0; i < MAX_RIDERS && !batch.waiting.isEmpty(); i++) {
      Rider r = batch.waiting.poll();
      flight.riders.computeIfAbsent(r.key(), k -> new ArrayList<>(2)).add(r.then());
      counts.merge(r.key(), 1, Integer::sum);
    }
    if (loop.outstanding >= MAX_OUTSTANDING) {
      land(loop, flight, context, null, "overload");
      return;
    }
    CompletionStage<Map<String, long[]>> stage;
    try {
      stage = map.submitToKey(batch.bucket, new DecideProcessor(rates, capacity, counts));
    } catch (RuntimeException e) {
      // e.g. HazelcastInstanceNotActiveException: the member is gone, decide now.
      land(loop, flight, context, null, "error");
      return;
    }
    loop.outstanding++;
    flight.timer = context.owner().setTimer(timeoutMillis, t -> land(loop, flight, context, null, "timeout"));
    Future.fromCompletionStage(stage, context).onComplete(ar -> {
      loop.outstanding--;
      if (ar.succeeded()) {
        teachFallback(ar.result()); // a late answer too: the owner did charge those keys
      }
      land(loop, flight, context, ar.succeeded() ? ar.result() : null, ar.succeeded() ? null : "error");
    });
  }

  private void land(Loop loop, Flight flight, Context context, Map<String, long[]> results, String failure) {
    if (flight.landed) {
      return;
    }
    flight.landed = true;
    if (flight.timer != -1 && failure == null) {
      context.owner().cancelTimer(flight.timer);
    }
    meters.clusterCall(System.nanoTime() - flight.started);
    int riders = 0;
    for (List<Consumer<Decision>> r : flight.riders.values()) {
      riders += r.size();
    }
    if (failure == null) {
      failureLog.succeeded();
      long[] evicted = results.get(BucketProcessor.EVICTED);
      if (evicted != null) {
        evictions.increment(evicted[0]);
      }
    } else {
      failureLog.failed(failure, riders);
    }
    List<Runnable> answers = new ArrayList<>(flight.riders.size());
    for (Map.Entry<String, List<Consumer<Decision>>> e : flight.riders.entrySet()) {
      List<Consumer<Decision>> waiting = e.getValue();
      long[] result = results == null ? null : results.get(e.getKey());
      List<Decision> decisions = result != null ? distribute(result, waiting.size())
          : fallBack(e.getKey(), waiting.size(), failure == null ? "error" : failure);
      answers.add(() -> {
        for (int i = 0; i < decisions.size(); i++) {
          waiting.get(i).accept(decisions.get(i));
        }
      });
    }
    // Start the next call before answering: answers run user-visible work, the next call should not wait for it.
    Batch b = flight.batch;
    if (b.waiting.isEmpty()) {
      loop.open.remove(b.bucket);
    } else {
      fly(loop, b, context);
    }
    answers.forEach(Runnable::run);
  }

  /** Each key's TATs after the call, into the fallback table (onClusterFailure: local only). */
  private void teachFallback(Map<String, long[]> results) {
    if (onFailure != OnClusterFailure.LOCAL) {
      return;
    }
    long[] t = rates.emission();
    for (Map.Entry<String, long[]> e : results.entrySet()) {
      if (e.getKey().equals(BucketProcessor.EVICTED)) {
        continue;
      }
      long[] result = e.getValue();
      long admitted = result[0];
      long[] tats = new long[t.length];
      for (int k = 0; k < t.length; k++) {
        tats[k] = result[2 + k] + admitted * t[k];
      }
      fallback.learn(e.getKey(), tats);
    }
  }

  /** Rider i of an admitted batch saw the TATs after i+1 admissions; refused riders all see the final state. */
  private List<Decision> distribute(long[] result, int n) {
    int admitted = (int) result[0];
    long now = result[1];
    int m = rates.size();
    long[] t = rates.emission();
    List<Decision> out = new ArrayList<>(n);
    for (int i = 0; i < admitted; i++) {
      long[] tats = new long[m];
      for (int k = 0; k < m; k++) {
        tats[k] = result[2 + k] + (i + 1) * t[k];
      }
      out.add(new Decision.Admitted(Decision.Source.CLUSTER, new Quota(now, tats)));
    }
    if (admitted < n) {
      long[] tats = new long[m];
      for (int k = 0; k < m; k++) {
        tats[k] = result[2 + k] + admitted * t[k];
      }
      Decision limited = new Decision.Limited(Decision.Source.CLUSTER, new Quota(now, tats),
          Gcra.retryAfter(tats, rates.tolerance(), now));
      for (int i = admitted; i < n; i++) {
        out.add(limited);
      }
    }
    return out;
  }

  private List<Decision> fallBack(String key, int n, String reason) {
    List<Decision> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      meters.clusterFailure(reason);
      out.add(switch (onFailure) {
        case ALLOW -> new Decision.Admitted(Decision.Source.FAIL_OPEN, null);
        case DENY -> new Decision.Unavailable(Decision.Source.FAIL_CLOSED, reason);
        case LOCAL -> fallback.decide(key, WallClock.nanos(), Math.max(1, members.getAsInt()));
      });
    }
    return out;
  }
}
