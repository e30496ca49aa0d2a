package dev.harp.cache;

import com.hazelcast.core.HazelcastInstance;
import dev.harp.node.HarpNode;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.TestUpstream;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three real members (A, B, C) in front of one loopback upstream: entries stored through one node are hits on the
 * others, survive the loss of the member that owned them (backups), and an admin purge on any node removes them from
 * every node, near caches included. The member loss runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CacheClusterTest {

  private static final int A = 0;
  private static final int B = 1;
  private static final int C = 2;
  private static TestUpstream upstream;
  private static HarpTestCluster cluster;
  private static final AtomicInteger upstreamCalls = new AtomicInteger();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    upstream = TestUpstream.start().handler(req -> {
      upstreamCalls.incrementAndGet();
      req.response().putHeader("Cache-Control", "max-age=600").end("body of " + req.path());
    });
    cluster = HarpTestCluster.start(3, spec -> spec.baseConfig() + """
        proxies:
          - name: api
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: [%s]}
            cache: {}
        """.formatted(spec.proxyPort(0), upstream.url()));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
    upstream.close();
  }

  private HttpResponse<String> get(int node, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + cluster.spec(node).proxyPort(0) + path)).timeout(Duration.ofSeconds(60))
        .build(), HttpResponse.BodyHandlers.ofString());
    awaitWrites(node);
    return r;
  }

  private static void awaitWrites(int node) {
    HarpNode n = cluster.node(node);
    Await.until("cache writes finished on node " + node, Duration.ofSeconds(20), () -> n.metrics().registry()
        .find("harp_cache_writes_pending").gauges().stream().mapToDouble(Gauge::value).sum() == 0);
  }

  private static String cacheStatus(HttpResponse<String> r) {
    return r.headers().firstValue("cache-status").orElse("");
  }

  private JsonObject adminPurge(int node, JsonObject body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + cluster.spec(node).adminPort() + "/api/cache/api/purge"))
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).header("Content-Type", "application/json")
        .header("Authorization", dev.harp.testkit.TestAdmin.basic())
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  @Test
  @Order(1)
  void storedThroughAIsAHitThroughBAndC() throws Exception {
    int before = upstreamCalls.get();
    assertThat(cacheStatus(get(A, "/shared"))).contains("fwd=uri-miss").contains("stored");
    HttpResponse<String> viaB = get(B, "/shared");
    assertThat(cacheStatus(viaB)).startsWith("harp; hit");
    assertThat(viaB.body()).isEqualTo("body of /shared");
    assertThat(cacheStatus(get(C, "/shared"))).startsWith("harp; hit");
    assertThat(upstreamCalls.get() - before).isEqualTo(1);
  }

  @Test
  @Order(2)
  void adminPurgeOnCRemovesAnEntryFromEveryNodeIncludingTheirNearCaches() throws Exception {
    get(A, "/purge-me");
    assertThat(cacheStatus(get(A, "/purge-me"))).startsWith("harp; hit"); // now in A's near cache
    assertThat(cacheStatus(get(B, "/purge-me"))).startsWith("harp; hit"); // and in B's
    int before = upstreamCalls.get();
    JsonObject result = adminPurge(C, new JsonObject().put("url", "/purge-me"));
    assertThat(result.getInteger("purged")).isEqualTo(1);
    assertThat(cacheStatus(get(B, "/purge-me"))).contains("fwd=uri-miss");
    assertThat(upstreamCalls.get() - before).isEqualTo(1);
  }

  @Test
  @Order(3)
  void adminPrefixPurgeOnCRemovesEveryMatchingEntryEverywhere() throws Exception {
    for (String p : new String[] {"/p/1", "/p/2", "/other"}) {
      get(A, p);
      assertThat(cacheStatus(get(A, p))).startsWith("harp; hit");
      assertThat(cacheStatus(get(B, p))).startsWith("harp; hit");
    }
    JsonObject result = adminPurge(C, new JsonObject().put("prefix", "/p/"));
    assertThat(result.getInteger("purged")).isEqualTo(2);
    assertThat(cacheStatus(get(A, "/p/1"))).contains("fwd=uri-miss");
    assertThat(cacheStatus(get(B, "/p/2"))).contains("fwd=uri-miss");
    assertThat(cacheStatus(get(B, "/other"))).startsWith("harp; hit");
  }

  @Test
  @Order(4)
  void anEntryOwnedByAIsStillAHitThroughBAfterAIsKilled() throws Exception {
    HazelcastInstance hzA = cluster.node(A).hazelcast();
    String path = null;
    for (int i = 0; i < 500 && path == null; i++) {
      String candidate = "/owned-by-a/" + i;
      if (hzA.getPartitionService().getPartition(candidate).getOwner().localMember()) {
        path = candidate;
      }
    }
    assertThat(path).as("a key whose partition A owns").isNotNull();
    assertThat(cacheStatus(get(A, path))).contains("stored");
    int before = upstreamCalls.get();
    // A crash, not a graceful leave: no migration off A, so only the backup on B or C can keep the entry.
    hzA.getLifecycleService().terminate();
    Await.result(cluster.node(A).stop(), Duration.ofSeconds(60));
    HttpResponse<String> viaB = get(B, path); // B never read it: no near-cache copy can answer for the IMap
    assertThat(cacheStatus(viaB)).startsWith("harp; hit");
    assertThat(viaB.body()).isEqualTo("body of " + path);
    assertThat(upstreamCalls.get() - before).isZero();
  }
}
