package dev.harp.observe;

import dev.harp.node.HarpNode;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.Ports;
import dev.harp.testkit.SystemTools;
import dev.harp.testkit.TestUpstream;
import io.micrometer.core.instrument.Counter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /metrics} of a real node after real traffic: the meters we promise, in a format Prometheus accepts. */
class MetricsEndpointTest {

  private static TestUpstream upstream;
  private static HarpNode node;
  private static int proxyPort;
  private static String metrics;
  private static HttpResponse<String> scrape;

  @BeforeAll
  static void startAndScrape() {
    upstream = TestUpstream.start().handler(req -> req.response()
        .setStatusCode(req.path().startsWith("/fail") ? 503 : 200).end("ok"));
    proxyPort = Ports.free();
    int adminPort = Ports.free();
    node = HarpTestCluster.single("""
        node: {name: metrics-node, eventLoops: 2}
        admin: {bind: 127.0.0.1, port: %d, openMetrics: true}
        proxies:
          - name: api
            port: %d
            upstream: {endpoints: [%s]}
        """.formatted(adminPort, proxyPort, upstream.url()));
    assertThat(Http.get("http://127.0.0.1:" + proxyPort + "/a").statusCode()).isEqualTo(200);
    assertThat(Http.get("http://127.0.0.1:" + proxyPort + "/b").statusCode()).isEqualTo(200);
    assertThat(Http.get("http://127.0.0.1:" + proxyPort + "/fail").statusCode()).isEqualTo(503);
    // Nothing in the proxy refuses requests yet through this path; the listener contract is what is tested here.
    node.proxy("api").rejected("uri-too-long", 414);
    node.proxy("api").rejected("uri-too-long", 414);
    // The client may read a response before the proxy's event loop records its completion (it writes, then counts):
    // wait for all three to be counted, or a scrape from another loop can miss the last one (seen in a CI run).
    Await.until("the three exchanges are recorded", Duration.ofSeconds(10), () -> node.metrics().registry()
        .find("harp_requests").counters().stream().mapToDouble(Counter::count).sum() == 3);
    scrape = Http.get("http://127.0.0.1:" + adminPort + "/metrics");
    metrics = scrape.body();
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      Await.result(node.stop());
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void servesPrometheusTextFormat() {
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
  }

  @Test
  void carriesPerProxyRequestLatencyRejectionAndSamplingMeters() {
    assertThat(metrics)
        .contains("harp_requests_total{proxy=\"api\",status_class=\"2xx\"} 2.0")
        .contains("harp_requests_total{proxy=\"api\",status_class=\"5xx\"} 1.0")
        .contains("harp_request_duration_seconds_count{proxy=\"api\"} 3")
        .contains("harp_request_duration_seconds_bucket{proxy=\"api\",le=\"+Inf\"} 3")
        .contains("harp_upstream_duration_seconds_count{proxy=\"api\"} 3")
        .contains("harp_rejected_requests_total{proxy=\"api\",reason=\"uri-too-long\"} 2.0")
        .contains("harp_traffic_events_published_total{proxy=\"api\"} 3.0")
        .contains("harp_log_lines_dropped_total ")
        .contains("harp_traffic_events_sampled_out_total{proxy=\"api\"} 0.0")
        .contains("harp_cluster_members 1.0");
  }

  @Test
  void carriesVertxAndJvmMeters() {
    // Event-bus meters appear only after the first message; worker-pool meters exist from the start.
    assertThat(metrics).contains("jvm_memory_used_bytes{").contains("vertx_pool_in_use{");
  }

  @Test
  void promtoolAcceptsTheScrape() throws Exception {
    Path promtool = SystemTools.require("promtool", "checking /metrics parses as Prometheus text");
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    try (OutputStream in = p.getOutputStream()) {
      in.write(metrics.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    String report = output.get(5, TimeUnit.SECONDS);
    assertThat(p.exitValue()).as("promtool exit status; output:%n%s", report).isZero();
    assertThat(report).as("promtool lint output").isBlank();
  }

  private static String readAll(InputStream in) {
    try (in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
