package dev.harp.resilience;

import dev.harp.node.HarpNode;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.Ports;
import dev.harp.testkit.TestAdmin;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resilience is made per proxy by its SPI factory, the node-wide parts once: on one node, two proxies with health
 * blocks both have their endpoints probed (the second's handed to the prober the first started), a proxy without
 * resilience is listed by the admin API as before, and the node stops cleanly.
 */
class ResilienceProxiesTest {

  private final TestUpstream first = TestUpstream.start();
  private final TestUpstream second = TestUpstream.start();
  private final TestUpstream plain = TestUpstream.start();
  private HarpNode node;

  @AfterEach
  void close() {
    if (node != null) {
      Await.result(node.stop(), Duration.ofSeconds(30));
    }
    List.of(first, second, plain).forEach(TestUpstream::close);
  }

  private static boolean probed(TestUpstream upstream) {
    return upstream.seen().stream().anyMatch(s -> s.uri().equals("/health"));
  }

  @Test
  void everyProxyGetsItsOwnResilienceAndTheNodeSharesOneProber() {
    int admin = Ports.free();
    node = HarpTestCluster.single("""
        node: {name: proxies, drainTimeout: 2s, eventLoops: 1}
        admin: {bind: 127.0.0.1, port: %d, users: [%s]}
        proxies:
          - name: first
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: ['%s']}
            health: {path: /health, interval: 200ms, timeout: 150ms}
          - name: second
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: ['%s']}
            retry: {}
            health: {path: /health, interval: 200ms, timeout: 150ms}
          - name: plain
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: ['%s']}
        """.formatted(admin, TestAdmin.USER_YAML, Ports.free(), first.url(), Ports.free(), second.url(),
        Ports.free(), plain.url()));

    Await.until("both proxies' endpoints are probed", Duration.ofSeconds(10),
        () -> probed(first) && probed(second));
    assertThat(probed(plain)).isFalse();

    JsonObject withIt = Client.endpoints(admin, "second");
    assertThat(withIt.getBoolean("resilience")).isTrue();
    assertThat(withIt.getBoolean("prober")).isTrue();
    assertThat(withIt.getJsonArray("endpoints").getJsonObject(0).getBoolean("healthy")).isTrue();

    JsonObject without = Client.endpoints(admin, "plain");
    assertThat(without.getBoolean("resilience")).isFalse();
    assertThat(without.getJsonArray("endpoints").getJsonObject(0).getMap())
        .containsEntry("id", 0).containsEntry("url", plain.url()).containsEntry("pool", "primary")
        .containsEntry("weight", 1).containsEntry("inFlight", 0).containsEntry("available", true);
    assertThat(Client.maintenance(admin, "plain", 0, "down").statusCode()).isEqualTo(404);
    assertThat(Client.get(admin, "/api/proxies/nope/endpoints").statusCode()).isEqualTo(404);
  }
}
