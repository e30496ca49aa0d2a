package dev.harp.resilience;

import dev.harp.testkit.Await;
import dev.harp.testkit.SystemTools;
import dev.harp.testkit.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The resilience meters appear on /metrics with what happened, and pass promtool's lint like the others. */
class ResilienceMetricsTest {

  private final SingleNode harp = new SingleNode();

  @AfterEach
  void close() {
    harp.close();
  }

  @Test
  void metersShowRetriesProbesAndCircuitStateAndPassPromtool() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    TestUpstream up = harp.upstream().handler(req -> req.response()
        .setStatusCode(req.path().equals("/x") && calls.incrementAndGet() == 1 ? 503 : 200).end());
    harp.start("""
        upstream: {endpoints: [%s]}
        retry: {}
        circuitBreaker: {}
        health: {interval: 200ms, timeout: 100ms}
        outlier: {}
        """.formatted(up.url()));
    assertThat(Client.get(harp.proxyPort, "/x").statusCode()).isEqualTo(200);
    Await.until("a probe was made", Duration.ofSeconds(10), () -> scrape().contains("harp_health_probes_total{"));

    String metrics = scrape();
    String ep = "endpoint=\"" + up.url() + "\"";
    assertThat(metrics)
        .contains("harp_retries_total{proxy=\"api\",reason=\"503\"} 1.0")
        .contains("harp_retry_budget_exhausted_total{proxy=\"api\"} 0.0")
        .contains("harp_circuit_breaker_state{" + ep + ",proxy=\"api\"} 0.0")
        .contains("harp_endpoint_available{" + ep + ",proxy=\"api\"} 1.0")
        .contains("harp_endpoint_healthy{" + ep + ",proxy=\"api\"} 1.0")
        .contains("harp_endpoint_ejected{" + ep + ",proxy=\"api\"} 0.0")
        .contains("harp_health_probes_total{" + ep + ",proxy=\"api\",result=\"pass\"}");

    Path promtool = SystemTools.require("promtool", "checking the resilience meters lint clean");
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(metrics.getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.getInputStream().transferTo(out);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String report = out.toString(StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("promtool: %s", report).isZero();
    assertThat(report).as("promtool lint").isBlank();
  }

  private String scrape() {
    return Client.get(harp.adminPort, "/metrics").body();
  }
}
