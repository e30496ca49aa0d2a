package dev.harp.resilience;

import dev.harp.observe.EventAddresses;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real 3-member cluster: a circuit opened by failures seen on one node protects the others within a second, and
 * a successful half-open trial closes it everywhere; a maintenance override set on one node applies on all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResilienceBreakerClusterTest {

  private TestUpstream flaky;
  private TestUpstream steady;
  private TestUpstream m1;
  private TestUpstream m2;
  private final AtomicInteger flakyStatus = new AtomicInteger(500);
  private HarpTestCluster cluster;
  private final List<JsonObject> breakerEvents = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() {
    flaky = TestUpstream.start().handler(req -> req.response().setStatusCode(flakyStatus.get()).end("flaky"));
    steady = TestUpstream.start().handler(req -> req.response().end("steady"));
    m1 = TestUpstream.start().handler(req -> req.response().end("m1"));
    m2 = TestUpstream.start().handler(req -> req.response().end("m2"));
    cluster = HarpTestCluster.start(3, spec -> spec.baseConfig() + """
        proxies:
          - name: api
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: [%s, %s]}
            circuitBreaker: {failures: 3, resetTimeout: 2s}
            outlier: {consecutiveFailures: 0}
          - name: ops
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: [%s, %s]}
            outlier: {}
        """.formatted(spec.proxyPort(0), flaky.url(), steady.url(), spec.proxyPort(1), m1.url(), m2.url()));
    // Observed from node-2: what every member hears.
    cluster.node(1).vertx().eventBus().<JsonObject>consumer(EventAddresses.BREAKERS, m -> breakerEvents.add(m.body()));
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    for (TestUpstream u : new TestUpstream[] {flaky, steady, m1, m2}) {
      if (u != null) {
        u.close();
      }
    }
  }

  private int proxyPort(int node, int proxy) {
    return cluster.spec(node).proxyPort(proxy);
  }

  private String circuit(int node) {
    return Client.endpoint(cluster.spec(node).adminPort(), "api", 0).getString("circuit");
  }

  private JsonObject event(String node, String state) {
    return breakerEvents.stream().filter(e -> node == null || node.equals(e.getString("node")))
        .filter(e -> e.getString("endpoint").equals(flaky.url()) && e.getString("state").equals(state))
        .findFirst().orElse(null);
  }

  @Test
  void aCircuitOpenedOnOneNodeProtectsEveryNodeWithinASecondAndAHalfOpenTrialClosesItEverywhere() {
    // Node A (node-1) sees the failures: round-robin sends every other request to the failing endpoint.
    for (int i = 0; i < 30 && event("node-1", "open") == null; i++) {
      Client.get(proxyPort(0, 0), "/a/" + i);
    }
    Await.until("node-1 announces the open circuit", Duration.ofSeconds(10), () -> event("node-1", "open") != null);
    long openedAt = event("node-1", "open").getLong("ts");

    for (int node : new int[] {1, 2}) {
      Await.until("node-" + (node + 1) + " has the circuit open", Duration.ofSeconds(5),
          () -> "open".equals(circuit(node)));
      long lagMs = System.currentTimeMillis() - openedAt;
      System.out.printf("BREAKER RESULT: node-%d open %d ms after node-1 opened it (upper bound: includes polling)%n",
          node + 1, lagMs);
      assertThat(lagMs).as("node-%d protected within a second", node + 1).isLessThan(1_000);
    }

    int flakySeen = flaky.seen().size();
    for (int i = 0; i < 10; i++) {
      for (int node : new int[] {1, 2}) {
        HttpResponse<String> r = Client.get(proxyPort(node, 0), "/b/" + i);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("steady");
      }
    }
    assertThat(flaky.seen()).as("nodes B and C sent nothing to the open endpoint").hasSize(flakySeen);

    // Recovery: the endpoint heals; after the reset timeout node B's breaker half-opens, lets one trial through,
    // and its success closes the circuit on every node.
    flakyStatus.set(200);
    Await.until("a successful trial closes the circuit", Duration.ofSeconds(30), () -> {
      Client.get(proxyPort(1, 0), "/c");
      return event(null, "closed") != null;
    });
    assertThat(event("node-2", "half-open")).as("node-2 half-opened before closing").isNotNull();
    for (int node = 0; node < 3; node++) {
      int n = node;
      Await.until("node-" + (n + 1) + " closed", Duration.ofSeconds(5), () -> "closed".equals(circuit(n)));
    }
    int before = flaky.seen().size();
    for (int i = 0; i < 4; i++) {
      assertThat(Client.get(proxyPort(0, 0), "/d").statusCode()).isEqualTo(200);
      assertThat(Client.get(proxyPort(2, 0), "/d").statusCode()).isEqualTo(200);
    }
    assertThat(flaky.seen().size()).as("traffic reaches the healed endpoint again").isGreaterThan(before);
  }

  @Test
  void aMaintenanceOverrideSetOnOneNodeAppliesOnEveryNode() {
    HttpResponse<String> set = Client.maintenance(cluster.spec(2).adminPort(), "ops", 0, "down");
    assertThat(set.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(set.body()).getString("by")).isEqualTo("node-3");
    for (int node = 0; node < 3; node++) {
      int n = node;
      Await.until("node-" + (n + 1) + " has m1 down", Duration.ofSeconds(5), () -> {
        JsonObject view = Client.endpoint(cluster.spec(n).adminPort(), "ops", 0);
        return "down".equals(view.getString("override")) && !view.getBoolean("available");
      });
    }
    int m1Seen = m1.seen().size();
    for (int i = 0; i < 6; i++) {
      assertThat(Client.get(proxyPort(i % 3, 1), "/x").body()).isEqualTo("m2");
    }
    assertThat(m1.seen()).hasSize(m1Seen);

    assertThat(Client.maintenance(cluster.spec(1).adminPort(), "ops", 0, null).statusCode()).isEqualTo(200);
    for (int node = 0; node < 3; node++) {
      int n = node;
      Await.until("node-" + (n + 1) + " has m1 back", Duration.ofSeconds(5),
          () -> Client.endpoint(cluster.spec(n).adminPort(), "ops", 0).getBoolean("available"));
    }
    for (int i = 0; i < 4; i++) {
      Client.get(proxyPort(0, 1), "/y");
    }
    assertThat(m1.seen().size()).isGreaterThan(m1Seen);
  }
}
