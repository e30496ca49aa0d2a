package dev.harp.resilience;

import dev.harp.testkit.Ports;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Pools: weights, consistent hashing, the fallback pool, and what a client hears when nothing is available. */
class ResilienceBalancingTest {

  private final SingleNode harp = new SingleNode();

  @AfterEach
  void close() {
    harp.close();
  }

  private TestUpstream named(String name) {
    return harp.upstream().handler(req -> req.response().end(name));
  }

  @Test
  void weightsShareTrafficInProportion() {
    TestUpstream heavy = named("heavy");
    TestUpstream light = named("light");
    harp.start("""
        upstream:
          endpoints: [{url: %s, weight: 3}, %s]
        """.formatted(heavy.url(), light.url()));
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      served.merge(Client.get(harp.proxyPort, "/").body(), 1, Integer::sum);
    }
    assertThat(served).containsEntry("heavy", 150).containsEntry("light", 50);
  }

  @Test
  void consistentHashingKeepsAKeyOnItsEndpointAndMovesOnlyTheKeysOfOneThatGoesDown() {
    List<TestUpstream> ups = List.of(named("e0"), named("e1"), named("e2"));
    harp.start("""
        upstream:
          endpoints: [%s, %s, %s]
          lb: consistent-hash
          hashOn: header:X-User
        outlier: {}
        """.formatted(ups.get(0).url(), ups.get(1).url(), ups.get(2).url()));
    Map<String, String> home = new HashMap<>();
    for (int u = 0; u < 60; u++) {
      String user = "user-" + u;
      String first = Client.get(harp.proxyPort, "/", "X-User", user).body();
      for (int again = 0; again < 2; again++) {
        assertThat(Client.get(harp.proxyPort, "/", "X-User", user).body()).as(user).isEqualTo(first);
      }
      home.put(user, first);
    }
    assertThat(home.values()).contains("e0", "e1", "e2");

    assertThat(Client.maintenance(harp.adminPort, "api", 1, "down").statusCode()).isEqualTo(200);
    dev.harp.testkit.Await.until("e1 down", java.time.Duration.ofSeconds(5),
        () -> !Client.endpoint(harp.adminPort, "api", 1).getBoolean("available"));
    home.forEach((user, endpoint) -> {
      String now = Client.get(harp.proxyPort, "/", "X-User", user).body();
      if (endpoint.equals("e1")) {
        assertThat(now).as(user + " moved off e1").isIn("e0", "e2");
      } else {
        assertThat(now).as(user + " stays where it was").isEqualTo(endpoint);
      }
    });
    Client.maintenance(harp.adminPort, "api", 1, null);
    dev.harp.testkit.Await.until("e1 back", java.time.Duration.ofSeconds(5),
        () -> Client.endpoint(harp.adminPort, "api", 1).getBoolean("available"));
    home.forEach((user, endpoint) ->
        assertThat(Client.get(harp.proxyPort, "/", "X-User", user).body()).as(user).isEqualTo(endpoint));
  }

  @Test
  void theFallbackPoolServesOnlyWhileNoPrimaryEndpointIsAvailable() {
    TestUpstream primary = named("primary");
    TestUpstream backup = named("backup");
    harp.start("""
        upstream:
          endpoints: [%s]
          fallback: [%s]
        """.formatted(primary.url(), backup.url()));
    assertThat(Client.get(harp.proxyPort, "/").body()).isEqualTo("primary");
    assertThat(Client.endpoints(harp.adminPort, "api").getJsonArray("endpoints").getJsonObject(1)
        .getString("pool")).isEqualTo("fallback");

    Client.maintenance(harp.adminPort, "api", 0, "down");
    dev.harp.testkit.Await.until("primary down", java.time.Duration.ofSeconds(5),
        () -> !Client.endpoint(harp.adminPort, "api", 0).getBoolean("available"));
    assertThat(Client.get(harp.proxyPort, "/").body()).isEqualTo("backup");

    Client.maintenance(harp.adminPort, "api", 1, "down");
    dev.harp.testkit.Await.until("backup down", java.time.Duration.ofSeconds(5),
        () -> !Client.endpoint(harp.adminPort, "api", 1).getBoolean("available"));
    HttpResponse<String> none = Client.get(harp.proxyPort, "/");
    assertThat(none.statusCode()).isEqualTo(503);
    JsonObject problem = new JsonObject(none.body());
    assertThat(problem.getString("type")).endsWith("/no-upstream-available");
    assertThat(problem.getString("detail")).contains(primary.url() + " (maintenance)", backup.url() + " (maintenance)");

    Client.maintenance(harp.adminPort, "api", 0, null);
    dev.harp.testkit.Await.until("primary back", java.time.Duration.ofSeconds(5),
        () -> Client.endpoint(harp.adminPort, "api", 0).getBoolean("available"));
    assertThat(Client.get(harp.proxyPort, "/").body()).isEqualTo("primary");
  }

  @Test
  void anOpenCircuitWithNoAlternativeIs503WithRetryAfter() {
    TestUpstream failing = harp.upstream().handler(req -> req.response().setStatusCode(500).end("boom"));
    harp.start("""
        upstream: {endpoints: [%s]}
        circuitBreaker: {failures: 2, resetTimeout: 5s}
        outlier: {consecutiveFailures: 0}
        """.formatted(failing.url()));
    assertThat(Client.get(harp.proxyPort, "/").statusCode()).isEqualTo(500);
    assertThat(Client.get(harp.proxyPort, "/").statusCode()).isEqualTo(500);
    dev.harp.testkit.Await.until("circuit open", java.time.Duration.ofSeconds(5),
        () -> "open".equals(Client.endpoint(harp.adminPort, "api", 0).getString("circuit")));

    HttpResponse<String> r = Client.get(harp.proxyPort, "/");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(Integer.parseInt(r.headers().firstValue("retry-after").orElseThrow())).isBetween(1, 5);
    JsonObject problem = new JsonObject(r.body());
    assertThat(problem.getString("type")).isEqualTo("https://harp.dev/problems/circuit-open");
    assertThat(problem.getString("detail")).contains(failing.url() + " (circuit open)");
    assertThat(failing.seen()).hasSize(2);
  }

  @Test
  void outlierEjectionDoublesOnRepeat() {
    TestUpstream good = named("good");
    int closed = Ports.free();
    harp.start("""
        upstream: {endpoints: [http://127.0.0.1:%d, %s]}
        retry: {}
        outlier: {consecutiveFailures: 2, baseEjection: 300ms, maxEjection: 10s}
        """.formatted(closed, good.url()));
    List<Long> durations = new java.util.concurrent.CopyOnWriteArrayList<>();
    harp.node.vertx().eventBus().<JsonObject>consumer(dev.harp.observe.EventAddresses.EJECTIONS, m -> {
      if (m.body().getBoolean("ejected")) {
        durations.add(m.body().getLong("durationMs"));
      }
    });
    // Bounded: each ejection needs two failures on the closed endpoint, each retried on the good one.
    dev.harp.testkit.Await.until("three ejections", java.time.Duration.ofSeconds(30), () -> {
      assertThat(Client.get(harp.proxyPort, "/").statusCode()).isEqualTo(200);
      return durations.size() >= 3;
    });
    assertThat(durations.subList(0, 3)).containsExactly(300L, 600L, 1200L);
  }
}
