package dev.harp.cache;

import dev.harp.node.HarpNode;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.Ports;
import dev.harp.testkit.TestUpstream;
import io.micrometer.core.instrument.Gauge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache's meters, as Prometheus scrapes them from /metrics, per proxy. */
class CacheMetricsTest {

  private TestUpstream upstream;
  private HarpNode node;
  private int adminPort;
  private int apiPort;
  private int tinyPort;
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

  private void start() {
    String big = "b".repeat(200 * 1024);
    upstream = TestUpstream.start().handler(req -> {
      switch (req.path()) {
        case "/stale" -> req.response().putHeader("Cache-Control", "max-age=0, stale-if-error=60")
            .putHeader("ETag", "\"s\"").setStatusCode("\"s\"".equals(req.getHeader("if-none-match")) ? 503 : 200)
            .end("stale body");
        case "/private" -> req.response().putHeader("Cache-Control", "private").end("mine");
        default -> req.response().putHeader("Cache-Control", "max-age=600")
            .end(req.path().startsWith("/big") ? big : "small body");
      }
    });
    adminPort = Ports.free();
    apiPort = Ports.free();
    tinyPort = Ports.free();
    node = HarpTestCluster.single("""
        node: {name: metrics, drainTimeout: 2s, eventLoops: 2}
        admin: {bind: 127.0.0.1, port: %d, users: [%s]}
        proxies:
          - {name: api, bind: 127.0.0.1, port: %d, upstream: {endpoints: [%s]}, cache: {}}
          - {name: tiny, bind: 127.0.0.1, port: %d, upstream: {endpoints: [%s]},
             cache: {maxSizePerNode: 1MiB, maxObjectSize: 256KiB}}
        """.formatted(adminPort, dev.harp.testkit.TestAdmin.USER_YAML, apiPort, upstream.url(), tinyPort,
        upstream.url()));
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    Await.until("cache writes finished", Duration.ofSeconds(20), () -> node.metrics().registry()
        .find("harp_cache_writes_pending").gauges().stream().mapToDouble(Gauge::value).sum() == 0);
    return r;
  }

  private String scrape() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
        .header("Authorization", dev.harp.testkit.TestAdmin.basic())
        .timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void hitsMissesStaleRevalidationsStoresAndRefusalsAreCountedPerProxy() throws Exception {
    start();
    get(apiPort, "/a");
    get(apiPort, "/a");
    get(apiPort, "/a");
    get(apiPort, "/private");
    get(apiPort, "/stale");
    assertThat(get(apiPort, "/stale").body()).isEqualTo("stale body");
    String m = scrape();
    assertThat(m).contains("harp_cache_hits_total{proxy=\"api\"} 2.0")
        .contains("harp_cache_misses_total{proxy=\"api\"} 3.0")
        .contains("harp_cache_stores_total{proxy=\"api\"} 2.0")
        .contains("harp_cache_stored_bytes_total{proxy=\"api\"} 20.0")
        .contains("harp_cache_not_stored_total{proxy=\"api\",reason=\"private\"} 1.0")
        .contains("harp_cache_stale_served_total{proxy=\"api\",reason=\"stale-if-error\"} 1.0")
        .contains("harp_cache_revalidations_total{outcome=\"error\",proxy=\"api\"} 1.0")
        .contains("harp_cache_evictions_total{proxy=\"api\"} 0.0")
        .contains("harp_cache_hits_total{proxy=\"tiny\"} 0.0");
  }

  @Test
  void storagePressureIsCountedAndTheBytesHeldAreVisible() throws Exception {
    start();
    // 12 x 200 KiB into a proxy allowed 1 MiB per member: Hazelcast must evict, and says so.
    for (int i = 0; i < 12; i++) {
      get(tinyPort, "/big/" + i);
    }
    Await.until("evictions counted", Duration.ofSeconds(20), () -> node.metrics().registry()
        .find("harp_cache_evictions").tag("proxy", "tiny").counter().count() > 0);
    Await.until("bytes held sampled", Duration.ofSeconds(20), () -> node.metrics().registry()
        .find("harp_cache_bytes").tag("proxy", "tiny").gauge().value() > 200 * 1024);
    double held = node.metrics().registry().find("harp_cache_bytes").tag("proxy", "tiny").gauge().value();
    assertThat(held).as("what the member holds stays near its limit").isLessThan(1.5 * (1 << 20));
    assertThat(scrape()).contains("harp_cache_evictions_total{proxy=\"tiny\"}");
  }
}
