package dev.harp.resilience;

import dev.harp.observe.EventAddresses;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One elected node probes for the whole cluster; when it dies another takes over within seconds and carries the
 * health state on (an unhealthy endpoint stays unhealthy, its counters continue).
 */
class ResilienceProberClusterTest {

  private final AtomicInteger bHealth = new AtomicInteger(200);
  private TestUpstream a;
  private TestUpstream b;
  private HarpTestCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    a.close();
    b.close();
  }

  private JsonObject view(int node, int endpoint) {
    return Client.endpoint(cluster.spec(node).adminPort(), "api", endpoint);
  }

  private boolean probing(int node) {
    return Client.endpoints(cluster.spec(node).adminPort(), "api").getBoolean("prober");
  }

  @Test
  void whenTheProberDiesAnotherTakesOverAndHealthStateContinues() {
    a = TestUpstream.start().handler(req -> req.response().end("a"));
    b = TestUpstream.start().handler(req -> req.response()
        .setStatusCode(req.path().equals("/health") ? bHealth.get() : 200).end("b"));
    cluster = HarpTestCluster.start(3, spec -> spec.baseConfig() + """
        proxies:
          - name: api
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: [%s, %s]}
            health: {path: /health, interval: 500ms, timeout: 450ms, healthyThreshold: 2, unhealthyThreshold: 2}
            outlier: {consecutiveFailures: 0}
        """.formatted(spec.proxyPort(0), a.url(), b.url()));

    Await.until("one prober elected", Duration.ofSeconds(10),
        () -> IntStream.range(0, 3).filter(this::probing).count() == 1);
    int prober = IntStream.range(0, 3).filter(this::probing).findFirst().orElseThrow();
    assertThat(cluster.node(prober).hazelcast().getCluster().getMembers().iterator().next().localMember())
        .as("the oldest member probes").isTrue();
    String proberName = cluster.spec(prober).name();
    List<JsonObject> probes = new CopyOnWriteArrayList<>();
    int observer = (prober + 1) % 3;
    cluster.node(observer).vertx().eventBus().<JsonObject>consumer(EventAddresses.HEALTH, m -> probes.add(m.body()));

    // b's health check starts failing: every node stops sending to it.
    bHealth.set(503);
    for (int node = 0; node < 3; node++) {
      int n = node;
      Await.until("node-" + (n + 1) + " sees b unhealthy", Duration.ofSeconds(10),
          () -> "unhealthy".equals(view(n, 1).getString("unavailableBecause")));
    }
    int bServed = (int) b.seen().stream().filter(s -> !s.uri().equals("/health")).count();
    for (int i = 0; i < 6; i++) {
      assertThat(Client.get(cluster.spec(i % 3).proxyPort(0), "/x").body()).isEqualTo("a");
    }
    assertThat(b.seen().stream().filter(s -> !s.uri().equals("/health")).count()).isEqualTo(bServed);
    int failuresBefore = lastRecordOfB(probes).getInteger("failures");
    assertThat(failuresBefore).isGreaterThanOrEqualTo(2);

    // Kill the prober: its Hazelcast member is terminated (no graceful leave), then the node is shut down.
    long killedAt = System.currentTimeMillis();
    cluster.node(prober).hazelcast().getLifecycleService().terminate();
    Await.until("another node probes", Duration.ofSeconds(30), () -> probes.stream()
        .anyMatch(p -> p.getLong("ts") > killedAt && !proberName.equals(p.getString("node"))));
    JsonObject first = probes.stream().filter(p -> p.getLong("ts") > killedAt
        && !proberName.equals(p.getString("node")) && p.getString("endpoint").equals(b.url()))
        .findFirst().orElseGet(() -> {
          Await.until("the new prober probes b", Duration.ofSeconds(5), () -> probes.stream().anyMatch(p ->
              p.getLong("ts") > killedAt && !proberName.equals(p.getString("node"))
                  && p.getString("endpoint").equals(b.url())));
          return probes.stream().filter(p -> p.getLong("ts") > killedAt
              && !proberName.equals(p.getString("node")) && p.getString("endpoint").equals(b.url()))
              .findFirst().orElseThrow();
        });
    long takeoverMs = first.getLong("ts") - killedAt;
    String newProber = first.getString("node");
    System.out.printf("PROBER RESULT: %s took over from %s %d ms after it was killed%n", newProber, proberName,
        takeoverMs);
    assertThat(takeoverMs).as("takeover within a few seconds").isLessThan(15_000);
    JsonObject record = first.getJsonObject("record");
    assertThat(record.getBoolean("healthy")).as("b is still unhealthy").isFalse();
    assertThat(record.getInteger("failures")).as("the failure count carried on").isGreaterThan(failuresBefore);
    cluster.stop(prober);

    // The new prober keeps the cluster's view current: b recovers on the surviving nodes.
    bHealth.set(200);
    for (int node : IntStream.range(0, 3).filter(n -> n != prober).toArray()) {
      Await.until("node-" + (node + 1) + " sees b healthy again", Duration.ofSeconds(10),
          () -> view(node, 1).getBoolean("available"));
      assertThat(view(node, 1).getJsonObject("health").getString("prober")).isEqualTo(newProber);
    }
    Await.until("b serves traffic again", Duration.ofSeconds(5), () -> "b".equals(
        Client.get(cluster.spec(observer).proxyPort(0), "/y").body()));
  }

  private JsonObject lastRecordOfB(List<JsonObject> probes) {
    Await.until("a probe result for b", Duration.ofSeconds(5),
        () -> probes.stream().anyMatch(p -> p.getString("endpoint").equals(b.url())));
    List<JsonObject> ofB = probes.stream().filter(p -> p.getString("endpoint").equals(b.url())).toList();
    return ofB.get(ofB.size() - 1).getJsonObject("record");
  }
}
