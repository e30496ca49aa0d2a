package dev.harp.resilience;

import dev.harp.testkit.Await;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache's background revalidation (stale-while-revalidate) is an upstream attempt like any other: it goes to
 * an endpoint the guards admit, and its outcome reaches the circuit breaker, outlier detection and the in-flight
 * count. Before, a refresh that took a half-open circuit's single trial never reported back, so the circuit stayed
 * half-open ("trial in flight") until the trial timed out (~30 s here), then re-opened although the endpoint had
 * answered.
 */
class ResilienceBackgroundFetchTest {

  private final SingleNode harp = new SingleNode();
  /** The status the upstream answers every request with, unless it is 200 (then the document, or 304). */
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicInteger conditionalGets = new AtomicInteger();
  private TestUpstream upstream;

  @AfterEach
  void close() {
    harp.close();
  }

  /** A document that is stale at once but may be served stale for a minute while it is revalidated. */
  private void start(String resilience) {
    upstream = harp.upstream().handler(req -> {
      int s = status.get();
      if (s != 200) {
        req.response().setStatusCode(s).end("failing");
        return;
      }
      req.response().putHeader("ETag", "\"v1\"").putHeader("Cache-Control", "max-age=0, stale-while-revalidate=60");
      if ("\"v1\"".equals(req.getHeader("If-None-Match"))) {
        conditionalGets.incrementAndGet();
        req.response().setStatusCode(304).end();
      } else {
        req.response().end("doc");
      }
    });
    harp.start("""
        upstream: {endpoints: [%s]}
        cache: {}
        %s
        """.formatted(upstream.url(), resilience));
  }

  private JsonObject endpoint() {
    return Client.endpoint(harp.adminPort, "api", 0);
  }

  /** Without {@link Client}'s admin login: a shared cache does not store answers to requests with Authorization. */
  private HttpResponse<String> get(String path) {
    return Client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harp.proxyPort + path))
        .timeout(Duration.ofSeconds(20)).build());
  }

  @Test
  void aRefreshThatTakesTheHalfOpenTrialClosesTheCircuitWhenItSucceeds() {
    start("""
        circuitBreaker: {failures: 2, resetTimeout: 300ms}
        outlier: {consecutiveFailures: 0}
        """);
    assertThat(get("/doc").body()).isEqualTo("doc"); // stored
    status.set(500);
    for (int i = 0; i < 2; i++) {
      assertThat(get("/fail/" + i).statusCode()).isEqualTo(500);
    }
    Await.until("the circuit opens, then half-opens", Duration.ofSeconds(10),
        () -> "half-open".equals(endpoint().getString("circuit")));
    status.set(200);

    // Served stale at once; the background revalidation is the only request that can take the trial.
    HttpResponse<String> stale = get("/doc");
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.body()).isEqualTo("doc");

    Await.until("the refresh's 304 closes the circuit (not a trial left in flight)", Duration.ofSeconds(5),
        () -> "closed".equals(endpoint().getString("circuit")));
    assertThat(conditionalGets.get()).isEqualTo(1);
    assertThat(endpoint().getInteger("inFlight")).isZero();
  }

  @Test
  void aFailedRefreshCountsAsTheEndpointsFailure() {
    start("outlier: {consecutiveFailures: 50}");
    assertThat(get("/doc").body()).isEqualTo("doc");
    status.set(503);

    // Stale-while-revalidate: the client still gets the stored copy; only the background GET meets the 503.
    assertThat(get("/doc").body()).isEqualTo("doc");

    Await.until("outlier detection heard of the refresh's 503", Duration.ofSeconds(5),
        () -> endpoint().getInteger("consecutiveFailures") == 1);
    assertThat(endpoint().getInteger("inFlight")).isZero();
  }
}
