package dev.harp.ratelimit;

import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Cluster mode: every decision is an atomic GCRA step on the key's partition owner.
 *
 * <p>Batching, per event loop (thread-local state: nothing here is shared between threads):
 * <ul>
 *   <li>across keys: the requests one loop sees in one turn (the reads of all its ready connections) are flushed
 *       together at the end of the turn, one {@code submitToKeys} for all their keys, so a partition thread wakes
 *       once per batch instead of once per request;</li>
 *   <li>per key: while a call for a key is in flight, further requests for it wait and then go together; the owner
 *       admits them in order in one step. A hot key costs one call per round trip.</li>
 * </ul>
 * Still one atomic step per key per call on its owner, so still exact.
 *
 * <p>A call that fails, or takes longer than {@code clusterTimeout} (a Vert.x timer: the loop never waits), hands
 * its requests to {@code onClusterFailure}. A late answer is ignored; the owner may still have charged the key, which
 * errs towards refusing, never towards admitting.
 */
final class ClusterLimiter implements Limiter {

  static final int MAX_RIDERS = 512;
  static final int MAX_KEYS = 256;

  private final IMap<String, long[]> map;
  private final Rates rates;
  private final long timeoutMillis;
  private final OnClusterFailure onFailure;
  private final LocalLimiter fallback;
  private final IntSupplier members;
  private final PolicyMeters meters;
  private final FailureLog failureLog;
  private final ThreadLocal<Loop> loops = ThreadLocal.withInitial(Loop::new);

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

  /** One event loop's keys: those waiting for the end of the turn, and those with a call in flight. */
  private static final class Loop {
    final HashMap<String, Batch> open = new HashMap<>();
    final ArrayList<Batch> ready = new ArrayList<>();
    boolean flushScheduled;
  }

  /** The requests for one key on one loop: those riding the call in flight, and those waiting for the next. */
  private static final class Batch {
    final String key;
    final ArrayDeque<Consumer<Decision>> waiting = new ArrayDeque<>(4);
    List<Consumer<Decision>> riders;
    boolean flying;

    Batch(String key) {
      this.key = key;
    }
  }

  private static final class Flight {
    final List<Batch> batches;
    final long started = System.nanoTime();
    long timer = -1;
    boolean landed;

    Flight(List<Batch> batches) {
      this.batches = batches;
    }
  }

  @Override
  public void decide(String key, Consumer<Decision> then) {
    Context context = Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException("cluster rate-limit decisions run on an event loop");
    }
    Loop loop = loops.get();
    Batch batch = loop.open.get(key);
    if (batch != null) {
      batch.waiting.add(then);
      meters.coalesced();
      return;
    }
    batch = new Batch(key);
    loop.open.put(key, batch);
    batch.waiting.add(then);
    ready(loop, batch, context);
  }

  private void ready(Loop loop, Batch batch, Context context) {
    loop.ready.add(batch);
    if (!loop.flushScheduled) {
      loop.flushScheduled = true;
      // Runs after the tasks already queued on this loop: every request read in this turn joins the batch.
      context.runOnContext(v -> flush(loop, context));
    }
  }

  private void flush(Loop loop, Context context) {
    loop.flushScheduled = false;
    List<Batch> ready = new ArrayList<>(loop.ready);
    loop.ready.clear();
    for (int from = 0; from < ready.size(); from += MAX_KEYS) {
      fly(loop, new ArrayList<>(ready.subList(from, Math.min(ready.size(), from + MAX_KEYS))), context);
    }
  }

  private void fly(Loop loop, List<Batch> batches, Context context) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Batch b : batches) {
      int n = Math.min(MAX_RIDERS, b.waiting.size());
      b.riders = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        b.riders.add(b.waiting.poll());
      }
      b.flying = true;
      counts.put(b.key, n);
    }
    Flight flight = new Flight(batches);
    CompletionStage<Map<String, long[]>> stage;
    try {
      if (batches.size() == 1) {
        String key = batches.get(0).key;
        stage = map.submitToKey(key, new GcraProcessor(rates, counts.get(key)))
            .thenApply(r -> Collections.singletonMap(key, r));
      } else {
        stage = map.submitToKeys(counts.keySet(), new GcraBatchProcessor(rates, counts));
      }
    } catch (RuntimeException e) {
      // e.g. HazelcastInstanceNotActiveException: the member is gone, decide now.
      land(loop, flight, context, null, "error");
      return;
    }
    flight.timer = context.owner().setTimer(timeoutMillis, t -> land(loop, flight, context, null, "timeout"));
    Future.fromCompletionStage(stage, context).onComplete(ar ->
        land(loop, flight, context, ar.succeeded() ? ar.result() : null, ar.succeeded() ? null : "error"));
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
    if (failure == null) {
      failureLog.succeeded();
    } else {
      int riders = 0;
      for (Batch b : flight.batches) {
        riders += b.riders.size();
      }
      failureLog.failed(failure, riders);
    }
    List<Runnable> answers = new ArrayList<>();
    for (Batch b : flight.batches) {
      long[] result = results == null ? null : results.get(b.key);
      List<Decision> decisions = result != null ? distribute(result, b.riders.size())
          : fallBack(b.key, b.riders.size(), failure == null ? "error" : failure);
      List<Consumer<Decision>> riders = b.riders;
      answers.add(() -> {
        for (int i = 0; i < decisions.size(); i++) {
          riders.get(i).accept(decisions.get(i));
        }
      });
      b.riders = null;
      b.flying = false;
      // Requests that arrived meanwhile go with the next turn's batch.
      if (b.waiting.isEmpty()) {
        loop.open.remove(b.key);
      } else {
        ready(loop, b, context);
      }
    }
    answers.forEach(Runnable::run);
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
