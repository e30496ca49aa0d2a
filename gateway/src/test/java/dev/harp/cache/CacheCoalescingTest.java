package dev.harp.cache;

import dev.harp.node.HarpNode;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.Ports;
import dev.harp.testkit.TestUpstream;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request coalescing on one node (two event loops): concurrent misses for one key make one upstream request; when
 * the leader's response may not be shared, the others go upstream themselves instead of getting it.
 */
class CacheCoalescingTest {

  private static final int CLIENTS = 10;
  private TestUpstream upstream;
  private HarpNode node;
  private int port;
  private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() {
    if (node != null) {
      Await.result(node.stop());
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  /** The first request is held until the test releases it; later ones are answered at once. */
  private void start(String cacheControl) {
    upstream = TestUpstream.start().handler(req -> {
      if (calls.incrementAndGet() == 1) {
        held.add(req);
      } else {
        req.response().putHeader("Cache-Control", cacheControl).end("later");
      }
    });
    port = Ports.free();
    node = HarpTestCluster.single("""
        node: {name: coalesce, drainTimeout: 2s, eventLoops: 2}
        admin: {bind: 127.0.0.1, port: %d}
        proxies:
          - {name: api, bind: 127.0.0.1, port: %d, upstream: {endpoints: [%s]}, cache: {}}
        """.formatted(Ports.free(), port, upstream.url()));
  }

  private List<CompletableFuture<HttpResponse<String>>> fire() {
    List<CompletableFuture<HttpResponse<String>>> out = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      // One client each: separate connections, spread over both event loops.
      HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
      out.add(c.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hot"))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
    }
    return out;
  }

  private double coalesced() {
    Counter c = node.metrics().registry().find("harp_cache_coalesced").counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void concurrentMissesForOneKeyMakeOneUpstreamRequest() throws Exception {
    start("max-age=60");
    List<CompletableFuture<HttpResponse<String>>> responses = fire();
    Await.until("one request upstream, the others waiting for it", Duration.ofSeconds(20),
        () -> held.size() == 1 && coalesced() == CLIENTS - 1);
    held.get(0).response().putHeader("Cache-Control", "max-age=60").end("first");
    int collapsed = 0;
    for (CompletableFuture<HttpResponse<String>> f : responses) {
      HttpResponse<String> r = f.get();
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("first");
      if (r.headers().firstValue("cache-status").orElse("").contains("collapsed")) {
        collapsed++;
      }
    }
    assertThat(calls.get()).isEqualTo(1);
    assertThat(collapsed).isEqualTo(CLIENTS - 1);
  }

  @Test
  void whenTheLeadersResponseMayNotBeSharedTheWaitersGoUpstreamThemselves() throws Exception {
    start("private");
    List<CompletableFuture<HttpResponse<String>>> responses = fire();
    Await.until("one request upstream, the others waiting for it", Duration.ofSeconds(20),
        () -> held.size() == 1 && coalesced() == CLIENTS - 1);
    held.get(0).response().putHeader("Cache-Control", "private").end("first, private");
    List<String> bodies = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> f : responses) {
      HttpResponse<String> r = f.get();
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("cache-status").orElse("")).doesNotContain("collapsed");
      bodies.add(r.body());
    }
    assertThat(calls.get()).isEqualTo(CLIENTS);
    assertThat(bodies).containsOnlyOnce("first, private");
  }
}
