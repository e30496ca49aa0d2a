package dev.harp.ratelimit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Local mode's overshoot bound, checked on a replayed clock: three nodes' local tables and one shared cluster entry
 * run through the same code as in production (LocalKey, SyncProcessor, the weight rule), with syncs that take time.
 * Deterministic, so it can check every window exactly, under load shapes a live test could not hold steady.
 *
 * <p>Bound (docs/rate-limiting.md): in any window of length W, admitted ≤ r·W + b + (N−1)·(r·(2I + 2L) + b + 1).
 */
class RateLimitLocalModeSimulationTest {

  private static final long MS = 1_000_000L;
  private static final int NODES = 3;
  private static final long INTERVAL = 100 * MS;
  private static final long LATENCY = 4 * MS;
  private static final Limit LIMIT = new Limit("l", 100, Duration.ofSeconds(1), 10);

  interface Load {
    /** Requests node n receives in millisecond t (the whole cluster gets about 3x the rate). */
    int at(int node, long t, Random random);
  }

  private record Event(long at, Runnable action) {
  }

  @Test
  void evenLoadStaysWithinTheBoundAndNearTheLimit() {
    Result r = simulate((n, t, rnd) -> rnd.nextInt(1000) < 100 ? 1 : 0);
    assertWithinBound(r);
    assertThat(r.worstExcessOverLimit).as("weights predict the other nodes").isLessThanOrEqualTo(15);
  }

  @Test
  void skewedLoadStaysWithinTheBound() {
    int[] share = {240, 30, 30};
    assertWithinBound(simulate((n, t, rnd) -> rnd.nextInt(1000) < share[n] ? 1 : 0));
  }

  @Test
  void loadMovingBetweenNodesStaysWithinTheBound() {
    // The whole load jumps to another node every 330 ms: the weights are always one step behind.
    assertWithinBound(simulate((n, t, rnd) -> (t / 330) % NODES == n && rnd.nextInt(1000) < 300 ? 1 : 0));
  }

  @Test
  void oneBusyNodeGetsTheWholeLimitNotAThird() {
    Result r = simulate((n, t, rnd) -> n == 0 && rnd.nextInt(1000) < 300 ? 1 : 0);
    assertWithinBound(r);
    // 10 s at 100/s plus a burst of 10, minus what a weight learnt before the first sync may cost.
    assertThat(r.total).isBetween(990L, 1010L + 10);
  }

  private record Result(long total, long worstWindow, long worstExcessOverLimit) {
  }

  private static void assertWithinBound(Result r) {
    long rate = LIMIT.requests();
    long bound = rate + LIMIT.burst() + (NODES - 1) * (rate * (2 * INTERVAL + 2 * LATENCY) / 1_000 / MS
        + LIMIT.burst() + 1);
    System.out.printf("local-mode simulation: %d admitted in 10 s, worst 1 s window %d (limit+burst %d, bound %d)%n",
        r.total, r.worstWindow, rate + LIMIT.burst(), bound);
    assertThat(r.worstWindow).as("worst 1 s window vs documented bound %d", bound).isLessThanOrEqualTo(bound);
  }

  private Result simulate(Load load) {
    Rates rates = Rates.of(List.of(LIMIT));
    Random random = new Random(1234);
    long[][] cluster = new long[1][];
    var evicted = new SimpleMeterRegistry().counter("evicted");
    List<LocalLimiter> nodes = new ArrayList<>();
    for (int n = 0; n < NODES; n++) {
      nodes.add(new LocalLimiter(rates, Decision.Source.LOCAL, 1000, evicted, true));
    }
    PriorityQueue<Event> events = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
    List<Long> admitted = new ArrayList<>();
    long t0 = 1_700_000_000_000L * MS;
    long end = t0 + 10_000 * MS;
    for (long now = t0; now < end; now += MS) {
      while (!events.isEmpty() && events.peek().at <= now) {
        events.poll().action.run();
      }
      for (int n = 0; n < NODES; n++) {
        int requests = load.at(n, (now - t0) / MS, random);
        for (int i = 0; i < requests; i++) {
          if (nodes.get(n).decide("k", now, Double.NaN) instanceof Decision.Admitted) {
            admitted.add(now);
          }
        }
        if ((now - t0 + n * (INTERVAL / NODES / MS) * MS) % INTERVAL == 0) {
          sync(nodes.get(n), n, cluster, now, events);
        }
      }
    }
    long worst = 0;
    int start = 0;
    for (int i = 0; i < admitted.size(); i++) {
      while (admitted.get(i) - admitted.get(start) >= 1_000 * MS) {
        start++;
      }
      worst = Math.max(worst, i - start + 1);
    }
    return new Result(admitted.size(), worst, worst - LIMIT.requests() - LIMIT.burst());
  }

  /** What LocalSync does, with the entry processor applied after half the latency and the answer after all of it. */
  private static void sync(LocalLimiter node, int member, long[][] cluster, long now, PriorityQueue<Event> events) {
    List<LocalKey> busy = new ArrayList<>();
    LocalKey key;
    while ((key = node.dirty().poll()) != null) {
      LocalKey k = key;
      LocalKey.Snapshot snap = k.snapshot(now);
      if (snap == null) {
        busy.add(k);
        continue;
      }
      long[] args = SyncStep.args(snap.admitted(), snap.offered(), snap.ownAhead());
      long[][] answer = new long[1][];
      events.add(new Event(now + LATENCY / 2, () -> {
        Step step = SyncStep.apply(cluster[0], now + LATENCY / 2, node.rates().emission(), args, member + 1,
            3 * INTERVAL);
        cluster[0] = step.value();
        answer[0] = step.result();
      }));
      events.add(new Event(now + LATENCY, () -> {
        long[] r = answer[0];
        k.adopt(r, 3, LocalSync.weight(r[1], r[2], k.weight(), NODES));
      }));
    }
    node.dirty().addAll(busy);
  }
}
