package dev.harp.engine;

import dev.harp.testkit.Await;
import dev.harp.testkit.TestAdmin;
import dev.harp.testkit.TestUpstream;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream that closes a keep-alive connection just as HARP sends the next request on it (its idle timeout racing
 * HARP's pool): idempotent requests are sent again on a new connection, others get a 502 and are never sent twice.
 * The upstream here closes every connection at its second request, without answering, which is what HARP sees in the
 * race.
 */
class StaleKeepAliveTest extends ProxyTestBase {

  /** Answers the first request of each connection; closes the connection at the second, unanswered. */
  private TestUpstream closingAtSecondRequest() {
    Map<HttpConnection, AtomicInteger> requestsPerConnection = new ConcurrentHashMap<>();
    return upstream().handler((HttpServerRequest req) -> {
      int n = requestsPerConnection.computeIfAbsent(req.connection(), c -> new AtomicInteger()).incrementAndGet();
      if (n == 1) {
        req.response().end("answered " + req.method() + " " + req.path());
      } else {
        req.connection().close();
      }
    });
  }

  @Test
  void anIdempotentRequestOnAConnectionTheUpstreamClosedIsSentAgainOnANewOne() throws Exception {
    TestUpstream upstream = closingAtSecondRequest();
    startProxy(upstream.url(), "");
    assertThat(get("/first").body()).isEqualTo("answered GET /first");

    HttpResponse<String> second = get("/second");

    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.body()).isEqualTo("answered GET /second");
    assertThat(upstream.seen()).extracting(TestUpstream.Seen::uri).containsExactly("/first", "/second", "/second");
    assertThat(upstream.connectionsAccepted()).isEqualTo(2);
    assertThat(metrics()).contains("harp_upstream_stale_connection_resends_total{proxy=\"api\"} 1.0");
  }

  @Test
  void aPostOnAConnectionTheUpstreamClosedIsNotSentTwice() throws Exception {
    TestUpstream upstream = closingAtSecondRequest();
    startProxy(upstream.url(), "");
    assertThat(get("/first").statusCode()).isEqualTo(200);

    HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(proxyUrl("/order")))
        .POST(HttpRequest.BodyPublishers.ofString("{\"qty\":1}")).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(post.statusCode()).isEqualTo(502);
    assertThat(post.body()).contains("upstream-closed");
    assertThat(upstream.seen()).extracting(TestUpstream.Seen::uri).containsExactly("/first", "/order");
    assertThat(metrics()).contains("harp_upstream_stale_connection_resends_total{proxy=\"api\"} 0.0");
  }

  @Test
  void aPutWhoseBodyWasSentAndNotKeptIsNotSentTwice() throws Exception {
    TestUpstream upstream = closingAtSecondRequest();
    startProxy(upstream.url(), "");
    assertThat(get("/first").statusCode()).isEqualTo(200);

    // Idempotent, but without resilience's replay buffer the body is streamed through and gone.
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(proxyUrl("/doc")))
        .PUT(HttpRequest.BodyPublishers.ofString("v2")).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(put.statusCode()).isEqualTo(502);
    assertThat(upstream.seen()).extracting(TestUpstream.Seen::uri).containsExactly("/first", "/doc");
  }

  @Test
  void aNewConnectionClosedWithoutAnAnswerIsNotResent() throws Exception {
    TestUpstream upstream = upstream().handler(req -> req.connection().close());
    startProxy(upstream.url(), "");

    HttpResponse<String> r = get("/dies");

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(upstream.seen()).hasSize(1);
    assertThat(upstream.connectionsAccepted()).isEqualTo(1);
  }

  @Test
  void aBackgroundRevalidationOnAConnectionTheUpstreamClosedIsSentAgainOnANewOne() throws Exception {
    Map<HttpConnection, AtomicInteger> requestsPerConnection = new ConcurrentHashMap<>();
    TestUpstream upstream = upstream().handler((HttpServerRequest req) -> {
      if (requestsPerConnection.computeIfAbsent(req.connection(), c -> new AtomicInteger()).incrementAndGet() > 1) {
        req.connection().close();
        return;
      }
      // Stale at once, servable stale for a minute while the cache revalidates it in the background.
      req.response().putHeader("ETag", "\"v1\"").putHeader("Cache-Control", "max-age=0, stale-while-revalidate=60")
          .end("doc");
    });
    startProxy(upstream.url(), "cache: {}");
    assertThat(get("/doc").body()).isEqualTo("doc");
    Await.until("the response is stored", Duration.ofSeconds(10), () -> node.metrics().registry()
        .find("harp_cache_stores").counters().stream().mapToDouble(Counter::count).sum() == 1
        && node.metrics().registry().find("harp_cache_writes_pending").gauges().stream()
        .mapToDouble(Gauge::value).sum() == 0);

    HttpResponse<String> stale = get("/doc");

    assertThat(stale.statusCode()).isEqualTo(200);
    // The revalidation went out on the first request's pooled connection, which the upstream closed: sent again.
    Await.until("the revalidation is resent on a new connection", Duration.ofSeconds(10),
        () -> upstream.seen().size() == 3);
    assertThat(upstream.seen()).extracting(TestUpstream.Seen::uri).containsExactly("/doc", "/doc", "/doc");
    assertThat(upstream.connectionsAccepted()).isEqualTo(2);
    assertThat(metrics()).contains("harp_upstream_stale_connection_resends_total{proxy=\"api\"} 1.0");
  }

  private String metrics() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + "/metrics"))
        .header("Authorization", TestAdmin.basic()).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
