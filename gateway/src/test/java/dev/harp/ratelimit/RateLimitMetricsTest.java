package dev.harp.ratelimit;

import dev.harp.node.HarpNode;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.Ports;
import dev.harp.testkit.SystemTools;
import dev.harp.testkit.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The rate-limit and ban meters appear on /metrics from the start, and promtool accepts them. */
class RateLimitMetricsTest {

  private static TestUpstream upstream;
  private static HarpNode node;
  private static int port;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    upstream = TestUpstream.start().handler(req -> req.response().setStatusCode(req.path().equals("/bad") ? 401 : 200)
        .end("ok"));
    port = Ports.free();
    node = HarpTestCluster.single("""
        admin: {bind: 127.0.0.1, port: %d}
        proxies:
          - name: api
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: ['%s']}
            rateLimit:
              clusterTimeout: 2s
              limits: [{requests: 2, per: 1h}]
              routes: [{name: search, path: /search, mode: local, limits: [{requests: 1, per: 1h}]}]
            ban: {threshold: 100}
        """.formatted(Ports.free(), port, upstream.url()));
  }

  @AfterAll
  static void stop() {
    Await.result(node.stop(), Duration.ofSeconds(30));
    upstream.close();
  }

  private static int get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void metersArePresentAndPromtoolAcceptsThem() throws Exception {
    assertThat(get("/a")).isEqualTo(200);
    assertThat(get("/bad")).isEqualTo(401);
    assertThat(get("/a")).isEqualTo(429);
    assertThat(get("/search")).as("its route admits it, the proxy-wide limit (spent) refuses it").isEqualTo(429);
    String metrics = node.metrics().scrape();
    assertThat(metrics).contains(
        "harp_ratelimit_decisions_total{outcome=\"allowed\",policy=\"proxy\",proxy=\"api\",source=\"cluster\"} 2.0",
        "harp_ratelimit_decisions_total{outcome=\"limited\",policy=\"proxy\",proxy=\"api\",source=\"cluster\"} 2.0",
        "harp_ratelimit_decisions_total{outcome=\"allowed\",policy=\"route:search\",proxy=\"api\",source=\"local\"} 1.0",
        "harp_ratelimit_cluster_failures_total{action=\"local\",policy=\"proxy\",proxy=\"api\",reason=\"timeout\"} 0.0",
        "harp_ratelimit_keys_evicted_total{proxy=\"api\",store=\"cluster\"} 0.0",
        "harp_ratelimit_local_keys{proxy=\"api\"}",
        "harp_ratelimit_cluster_call_duration_seconds_bucket",
        "harp_ratelimit_syncs_total{outcome=\"failed\",proxy=\"api\"} 0.0",
        "harp_bans_active 0.0",
        "harp_ban_failures_counted_total{proxy=\"api\"} 1.0",
        "harp_ban_failure_keys_evicted_total 0.0");

    Path promtool = SystemTools.require("promtool", "checking /metrics parses as Prometheus text");
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(metrics.getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String report = out.toString(StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("promtool: %s", report).isZero();
    assertThat(report).isBlank();
  }
}
