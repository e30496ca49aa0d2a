package dev.harp.ratelimit;

import com.hazelcast.map.IMap;
import dev.harp.node.HarpNode;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.Ports;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code onClusterFailure}: when the cluster is slow (a partition thread held by a slow operation) or gone (the
 * Hazelcast member terminated), allow admits, deny refuses with 503, local decides on the node; each counted.
 */
class RateLimitClusterFailureTest {

  /** The bucket holding the client 127.0.0.1's key of each proxy-wide policy. */
  private static final String BUCKET = Buckets.of("proxy", "proxy\u001f127.0.0.1");
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private TestUpstream upstream;
  private HarpNode node;
  private final int[] ports = {Ports.free(), Ports.free(), Ports.free(), Ports.free()};

  @BeforeEach
  void start() {
    upstream = TestUpstream.start();
    StringBuilder yaml = new StringBuilder("admin: {bind: 127.0.0.1, port: " + Ports.free() + "}\nproxies:\n");
    // "patient" is "local" with a timeout no healthy call outlives, even on a starved machine.
    String[] names = {"allow", "deny", "local", "patient"};
    String[] modes = {"allow", "deny", "local", "local"};
    String[] timeouts = {"20ms", "20ms", "20ms", "2s"};
    for (int i = 0; i < 4; i++) {
      yaml.append("""
            - name: %s
              bind: 127.0.0.1
              port: %d
              upstream: {endpoints: ['%s']}
              rateLimit:
                clusterTimeout: %s
                onClusterFailure: %s
                limits: [{requests: 2, per: 1h}]
          """.formatted(names[i], ports[i], upstream.url(), timeouts[i], modes[i]));
    }
    node = HarpTestCluster.single(yaml.toString());
  }

  @AfterEach
  void stop() {
    if (node != null) {
      try {
        Await.result(node.stop(), Duration.ofSeconds(30));
      } catch (RuntimeException e) {
        // A node whose Hazelcast member was terminated may not leave cleanly; it is gone either way.
      }
    }
    upstream.close();
  }

  private HttpResponse<String> get(int proxy) throws Exception {
    long start = System.nanoTime();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports[proxy] + "/x"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat((System.nanoTime() - start) / 1_000_000).as("answered promptly, never hung").isLessThan(5_000);
    return r;
  }

  private double meter(String name, String... tags) {
    var search = node.metrics().registry().find(name).tags(tags);
    var c = search.counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aSlowClusterIsDecidedByTheFallbackOfEachPolicy() throws Exception {
    IMap<String, KeyBucket> map = node.hazelcast().getMap("harp.ratelimit.allow");
    // The three maps' identical bucket keys share a partition, so one slow operation holds all three proxies' key.
    SlowProcessor slowOperation = new SlowProcessor();
    CompletionStage<Object> slow = map.submitToKey(BUCKET, slowOperation);
    assertThat(slowOperation.holding.await(30, TimeUnit.SECONDS)).as("the partition thread is held").isTrue();

    try {
      HttpResponse<String> allowed = get(0);
      assertThat(allowed.statusCode()).isEqualTo(200);
      assertThat(allowed.headers().firstValue("RateLimit-Policy")).isPresent();
      assertThat(allowed.headers().firstValue("RateLimit")).as("state unknown: not advertised").isEmpty();

      HttpResponse<String> denied = get(1);
      assertThat(denied.statusCode()).isEqualTo(503);
      assertThat(denied.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(new JsonObject(denied.body()).getString("type"))
          .isEqualTo("https://harp.dev/problems/rate-limit-unavailable");

      // local: this node alone (1 member) holds the whole limit of 2 while the cluster is slow.
      assertThat(get(2).statusCode()).isEqualTo(200);
      assertThat(get(2).statusCode()).isEqualTo(200);
      HttpResponse<String> third = get(2);
      assertThat(third.statusCode()).isEqualTo(429);
      assertThat(third.headers().firstValue("RateLimit")).hasValueSatisfying(v -> assertThat(v).contains(";r=0;"));

      assertThat(meter("harp_ratelimit_cluster_failures", "proxy", "allow", "reason", "timeout", "action", "allow"))
          .isEqualTo(1);
      assertThat(meter("harp_ratelimit_cluster_failures", "proxy", "deny", "reason", "timeout", "action", "deny"))
          .isEqualTo(1);
      assertThat(meter("harp_ratelimit_cluster_failures", "proxy", "local", "reason", "timeout", "action", "local"))
          .isEqualTo(3);
      assertThat(meter("harp_ratelimit_decisions", "proxy", "allow", "source", "fail_open", "outcome", "allowed"))
          .isEqualTo(1);
      assertThat(meter("harp_ratelimit_decisions", "proxy", "deny", "source", "fail_closed", "outcome", "unavailable"))
          .isEqualTo(1);
      assertThat(meter("harp_ratelimit_decisions", "proxy", "local", "source", "fallback", "outcome", "limited"))
          .isEqualTo(1);
    } finally {
      slowOperation.release.countDown();
    }
    Await.result(Future.fromCompletionStage(slow), Duration.ofSeconds(10));
    // The cluster is back: decisions are the cluster's again. On a starved machine a call may still outlive the
    // 20 ms timeout now and then (and be refused by "deny"), so ask until the cluster answers, boundedly.
    Await.until("the cluster decides again", Duration.ofSeconds(30), () -> {
      try {
        return get(1).statusCode() != 503;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(meter("harp_ratelimit_decisions", "proxy", "deny", "source", "cluster", "outcome", "allowed")
        + meter("harp_ratelimit_decisions", "proxy", "deny", "source", "cluster", "outcome", "limited"))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void theLocalFallbackContinuesFromTheClustersLastWordNotAFullBudget() throws Exception {
    assertThat(get(3).statusCode()).isEqualTo(200);
    assertThat(get(3).statusCode()).as("the cluster admitted both: the budget of 2 is spent").isEqualTo(200);
    assertThat(meter("harp_ratelimit_decisions", "proxy", "patient", "source", "cluster", "outcome", "allowed"))
        .as("both decided by the cluster, not by the fallback").isEqualTo(2);

    IMap<String, KeyBucket> map = node.hazelcast().getMap("harp.ratelimit.patient");
    SlowProcessor slowOperation = new SlowProcessor();
    CompletionStage<Object> slow = map.submitToKey(BUCKET, slowOperation);
    assertThat(slowOperation.holding.await(30, TimeUnit.SECONDS)).as("the partition thread is held").isTrue();
    try {
      HttpResponse<String> third = get(3);
      assertThat(third.statusCode()).as("the fallback knows the spent budget (it gave a full one before)")
          .isEqualTo(429);
      assertThat(meter("harp_ratelimit_decisions", "proxy", "patient", "source", "fallback", "outcome", "limited"))
          .isEqualTo(1);
    } finally {
      slowOperation.release.countDown();
    }
    Await.result(Future.fromCompletionStage(slow), Duration.ofSeconds(10));
  }

  @Test
  void aTerminatedMemberIsAnErrorDecidedTheSameWay() throws Exception {
    node.hazelcast().getLifecycleService().terminate();
    assertThat(get(0).statusCode()).isEqualTo(200);
    assertThat(get(1).statusCode()).isEqualTo(503);
    assertThat(get(2).statusCode()).isEqualTo(200);
    assertThat(meter("harp_ratelimit_cluster_failures", "proxy", "allow", "reason", "error", "action", "allow"))
        .isEqualTo(1);
    assertThat(meter("harp_ratelimit_cluster_failures", "proxy", "deny", "reason", "error", "action", "deny"))
        .isEqualTo(1);
    assertThat(meter("harp_ratelimit_cluster_failures", "proxy", "local", "reason", "error", "action", "local"))
        .isEqualTo(1);
  }
}
