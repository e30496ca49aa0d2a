package dev.harp.ratelimit;

import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Cluster mode: every decision is an atomic {@link GcraProcessor} on the key's partition owner.
 *
 * <p>Coalescing: while a call for a key is in flight from an event loop, further requests for that key on the same
 * loop wait and then go together in one call that admits them in order. Still one atomic step per call, still exact,
 * but a hot key costs one cluster call per round trip instead of one per request. State is per event loop (a
 * thread-local map), so nothing here is shared between threads.
 *
 * <p>A call that fails, or takes longer than {@code clusterTimeout} (a Vert.x timer on the loop: the loop never
 * waits), hands its requests to {@code onClusterFailure}. A late answer is ignored; the processor may still have run
 * and charged the key, which errs towards refusing, never towards admitting.
 */
final class ClusterLimiter implements Limiter {

  static final int MAX_BATCH = 512;

  private final IMap<String, long[]> map;
  private final Rates rates;
  private final long timeoutMillis;
  private final OnClusterFailure onFailure;
  private final LocalLimiter fallback;
  private final IntSupplier members;
  private final PolicyMeters meters;
  private final FailureLog failureLog;
  private final ThreadLocal<HashMap<String, Batch>> open = ThreadLocal.withInitial(HashMap::new);

  ClusterLimiter(IMap<String, long[]> map, String proxy, Policy policy, Rates rates, LocalLimiter fallback,
                 IntSupplier members, PolicyMeters meters) {
    this.map = map;
    this.rates = rates;
    this.timeoutMillis = Math.max(1, policy.clusterTimeout().toMillis());
    this.onFailure = policy.onClusterFailure();
    this.fallback = fallback;
    this.members = members;
    this.meters = meters;
    this.failureLog = new FailureLog(proxy, policy.id(), onFailure);
  }

  /** The requests for one key on one loop: those riding the call in flight, and those waiting for the next. */
  private static final class Batch {
    final String key;
    final HashMap<String, Batch> owner;
    final ArrayDeque<Consumer<Decision>> waiting = new ArrayDeque<>(4);

    Batch(String key, HashMap<String, Batch> owner) {
      this.key = key;
      this.owner = owner;
    }
  }

  private static final class Flight {
    final Batch batch;
    final List<Consumer<Decision>> riders;
    final long started = System.nanoTime();
    long timer = -1;
    boolean landed;

    Flight(Batch batch, List<Consumer<Decision>> riders) {
      this.batch = batch;
      this.riders = riders;
    }
  }

  @Override
  public void decide(String key, Consumer<Decision> then) {
    Context context = Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException("cluster rate-limit decisions run on an event loop");
    }
    HashMap<String, Batch> batches = open.get();
    Batch batch = batches.get(key);
    if (batch != null) {
      batch.waiting.add(then);
      meters.coalesced();
      return;
    }
    batch = new Batch(key, batches);
    batches.put(key, batch);
    batch.waiting.add(then);
    fly(batch, context);
  }

  private void fly(Batch batch, Context context) {
    int n = Math.min(MAX_BATCH, batch.waiting.size());
    List<Consumer<Decision>> riders = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      riders.add(batch.waiting.poll());
    }
    Flight flight = new Flight(batch, riders);
    CompletionStage<long[]> stage;
    try {
      stage = map.submitToKey(batch.key, new GcraProcessor(rates, n));
    } catch (RuntimeException e) {
      // e.g. HazelcastInstanceNotActiveException: the member is gone, decide now.
      land(flight, context, null, "error");
      return;
    }
    flight.timer = context.owner().setTimer(timeoutMillis, t -> land(flight, context, null, "timeout"));
    Future.fromCompletionStage(stage, context).onComplete(ar -> {
      if (ar.succeeded()) {
        land(flight, context, ar.result(), null);
      } else {
        land(flight, context, null, "error");
      }
    });
  }

  private void land(Flight flight, Context context, long[] result, String failure) {
    if (flight.landed) {
      return;
    }
    flight.landed = true;
    if (flight.timer != -1 && failure == null) {
      context.owner().cancelTimer(flight.timer);
    }
    meters.clusterCall(System.nanoTime() - flight.started, failure == null);
    if (failure == null) {
      failureLog.succeeded();
    } else {
      failureLog.failed(failure, flight.riders.size());
    }
    List<Decision> decisions = result != null ? distribute(result, flight.riders.size())
        : fallBack(flight.batch.key, flight.riders.size(), failure);
    // Start the next call before answering: answers run user-visible work, the next call should not wait for it.
    Batch batch = flight.batch;
    if (batch.waiting.isEmpty()) {
      batch.owner.remove(batch.key);
    } else {
      fly(batch, context);
    }
    for (int i = 0; i < decisions.size(); i++) {
      flight.riders.get(i).accept(decisions.get(i));
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
