package dev.harp.ratelimit;

import com.hazelcast.cluster.Member;
import dev.harp.ratelimit.OfferedLoad.Sample;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.TestUpstream;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The member that owns the key's partition is killed (its Hazelcast member terminated, no goodbye) in the middle of
 * a 3x overload. Decisions must go on from the two survivors, every request answered promptly; while the cluster
 * notices, the fallback (counted) decides; afterwards the promoted backup decides exactly again.
 */
class RateLimitMemberLossTest {

  static final int RATE = 100;
  static final int BURST = 40;

  private static TestUpstream upstream;
  private static HarpTestCluster cluster;
  private static Vertx clients;

  @BeforeAll
  static void startCluster() {
    upstream = TestUpstream.start();
    clients = Vertx.vertx();
    cluster = HarpTestCluster.start(3, spec -> spec.baseConfig() + """
        proxies:
          - name: api
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: ['%s']}
            rateLimit:
              by: 'header:X-Run'
              clusterTimeout: 100ms
              onClusterFailure: local
              limits: [{requests: %d, per: 1s, burst: %d}]
        """.formatted(spec.proxyPort(0), upstream.url(), RATE, BURST));
    // Warm up (connections, map proxies, JIT) on a key of its own, so the kill is what the test measures.
    MultiMap warm = MultiMap.caseInsensitiveMultiMap().add("X-Run", "warm-up");
    List<Integer> all = List.of(cluster.spec(0).proxyPort(0), cluster.spec(1).proxyPort(0),
        cluster.spec(2).proxyPort(0));
    Await.result(OfferedLoad.run(clients, all, "/warm-up", i -> warm, 200, Duration.ofSeconds(1), 200, 12),
        Duration.ofSeconds(60));
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      try {
        cluster.close();
      } catch (RuntimeException e) {
        // The killed member cannot leave gracefully; the survivors have stopped.
      }
    }
    if (clients != null) {
      Await.result(clients.close());
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void killingTheKeysOwnerMidLoadKeepsDecisionsGoing() {
    Member victim = cluster.node(2).hazelcast().getCluster().getLocalMember();
    // A key whose bucket's partition the victim owns: its death is what the survivors must get over.
    String id;
    do {
      id = UUID.randomUUID().toString();
    } while (!cluster.node(0).hazelcast().getPartitionService()
        .getPartition(Buckets.of("proxy", "proxy\u001f" + id)).getOwner().equals(victim));
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Run", id);
    List<Integer> survivors = List.of(cluster.spec(0).proxyPort(0), cluster.spec(1).proxyPort(0));
    Future<List<Sample>> load = OfferedLoad.run(clients, survivors, "/items", i -> headers, 3.0 * RATE,
        Duration.ofSeconds(9), 3 * RATE * 9 + 1, 64);
    clients.setTimer(3_000, t -> clients.executeBlocking(() -> {
      cluster.node(2).hazelcast().getLifecycleService().terminate();
      return null;
    }));
    List<Sample> samples = Await.result(load, Duration.ofSeconds(120));

    Accuracy.Run r = Accuracy.analyse(samples, 1_000_000_000L, BURST * 1_000_000_000L / RATE, RATE);
    double fallbackAdmitted = counter(0) + counter(1);
    System.out.println("owner killed at 3 s: " + Accuracy.describe(r) + "; admitted by the local fallback: "
        + fallbackAdmitted);
    assertThat(r.other()).as("every request answered 200 or 429, none failed or hung").isZero();
    assertThat(samples.stream().mapToLong(s -> s.done() - s.sent()).max().orElseThrow())
        .as("slowest answer, ns").isLessThan(5_000_000_000L);
    assertThat(cluster.node(0).hazelcast().getCluster().getMembers()).hasSize(2);
    // The backup took over with the key's state: only what the fallback admitted can exceed the exact bound.
    assertThat((double) r.admitted()).isLessThanOrEqualTo(RATE * r.wideSeconds() + BURST + 1 + fallbackAdmitted);
    // Decisions go on: every window after the kill admits, and the survivors still refuse what exceeds the limit.
    List<Accuracy.Window> w = r.windows();
    for (Accuracy.Window after : w.subList(4, w.size())) {
      assertThat(after.maybe()).as("window %d admits", after.index()).isPositive();
      assertThat((double) after.surely()).as("window %d", after.index())
          .isLessThanOrEqualTo(1.01 * (RATE + BURST) + fallbackAdmitted);
    }
    long lastSent = samples.get(samples.size() - 1).sent();
    assertThat(samples.stream().filter(s -> s.status() == 429 && lastSent - s.sent() < 2_000_000_000L))
        .as("refusals in the last two seconds").isNotEmpty();
  }

  private static double counter(int node) {
    Counter c = cluster.node(node).metrics().registry().find("harp_ratelimit_decisions")
        .tags("source", "fallback", "outcome", "allowed").counter();
    return c == null ? 0 : c.count();
  }
}
