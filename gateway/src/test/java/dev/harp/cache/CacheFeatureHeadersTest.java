package dev.harp.cache;

import dev.harp.secrets.KeyHash;
import dev.harp.node.HarpNode;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.Ports;
import dev.harp.testkit.TestAdmin;
import io.micrometer.core.instrument.Gauge;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.harp.cache.CacheRfcSuiteTest.etagged;
import static dev.harp.cache.CacheRfcSuiteTest.failingFrom;
import static dev.harp.cache.CacheRfcSuiteTest.ok;
import static dev.harp.cache.CacheRfcSuiteTest.seq;
import static dev.harp.cache.Origin.reply;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The headers other features put on the client's response during the request phase (rate limit, request id, Via,
 * retry count) reach the client however the cache answers: a miss, a fresh hit, a revalidated hit (the upstream's
 * 304 taken over and answered with the stored body) and a stale-if-error answer (upstream 5xx, upstream gone, or an
 * upstream body that broke before a byte reached the client). And the headers of an upstream response the cache
 * dropped never reach the client. One real node, with auth (API key), rate limit, retry and cache on one proxy.
 */
class CacheFeatureHeadersTest {

  private static final String KEY = KeyHash.newSecret("harp_");
  private static final String CC = "Cache-Control";
  private static final AtomicInteger REQUEST = new AtomicInteger();
  private static Origin origin;
  private static HarpNode node;
  private static int port;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    origin = new Origin(Clock.systemUTC());
    port = Ports.free();
    node = HarpTestCluster.single("""
        node: {name: cache-headers, drainTimeout: 2s, eventLoops: 2}
        admin: {bind: 127.0.0.1, port: %d, users: [%s]}
        consumers:
          - {name: app, keys: [{id: k, sha256: %s}]}
        proxies:
          - name: api
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: ['%s']}
            auth: {apiKeys: {header: X-Api-Key}}
            rateLimit: {limits: [{requests: 1000, per: 1h}]}
            retry: {maxAttempts: 2, retryOn: [503], backoff: {base: 1ms, max: 1ms}}
            cache: {}
        """.formatted(Ports.free(), TestAdmin.USER_YAML, KeyHash.sha256Hex(KEY), port, origin.url()));
  }

  @AfterAll
  static void stop() {
    try {
      if (node != null) {
        Await.result(node.stop(), Duration.ofSeconds(30));
      }
    } finally {
      origin.close();
    }
  }

  @Test
  void aMissAndAFreshHitCarryTheFeatureHeaders() {
    origin.script("/fresh", (req, n) -> ok("fresh body", CC, "max-age=600"));
    HttpResponse<String> miss = get("/fresh");
    assertThat(cacheStatus(miss)).contains("fwd=uri-miss").contains("stored");
    assertFeatureHeaders(miss);
    HttpResponse<String> hit = get("/fresh");
    assertThat(cacheStatus(hit)).startsWith("harp; hit");
    assertThat(hit.body()).isEqualTo("fresh body");
    assertFeatureHeaders(hit);
  }

  @Test
  void aRevalidatedHitCarriesTheFeatureHeadersAndWhatThe304Updated() {
    // The 304 updates X-Version (RFC 9111 §4.3.4): the client sees the stored response so updated, and the 304's
    // own Content-Length (none: it has no body) must not replace the stored body's.
    origin.script("/revalidated", etagged("\"v1\"", "stored body", "max-age=0", "X-Version", "2"));
    assertFeatureHeaders(get("/revalidated"));
    HttpResponse<String> revalidated = get("/revalidated");
    assertThat(cacheStatus(revalidated)).contains("fwd=stale").contains("fwd-status=304");
    assertThat(revalidated.statusCode()).isEqualTo(200);
    assertThat(revalidated.body()).isEqualTo("stored body");
    assertThat(revalidated.headers().allValues("x-version")).containsExactly("2");
    assertThat(revalidated.headers().allValues("etag")).containsExactly("\"v1\"");
    assertFeatureHeaders(revalidated);
  }

  @Test
  void aSetCookieOnA304GoesToTheClientThatValidatedAndIsNotStoredForOthers() {
    // storeSetCookie is off: a 200 with Set-Cookie is not stored, so neither may a 304's be merged into the entry.
    origin.script("/cookie", (req, n) -> req.getHeader("if-none-match") == null
        ? ok("stored body", "ETag", "\"c1\"", CC, "max-age=0")
        : reply(304, "", "ETag", "\"c1\"", CC, "max-age=600", "Set-Cookie", "session=first-validator"));
    get("/cookie");
    HttpResponse<String> revalidated = get("/cookie");
    assertThat(cacheStatus(revalidated)).contains("fwd-status=304");
    assertThat(revalidated.headers().allValues("set-cookie")).containsExactly("session=first-validator");
    assertFeatureHeaders(revalidated);
    HttpResponse<String> hit = get("/cookie");
    assertThat(cacheStatus(hit)).startsWith("harp; hit");
    assertThat(hit.body()).isEqualTo("stored body");
    assertThat(hit.headers().allValues("set-cookie")).as("another client's cookie").isEmpty();
    assertFeatureHeaders(hit);
  }

  @Test
  void aRevalidationAnsweredOnARetryStillSaysHowManyAttemptsItTook() {
    origin.script("/retried", (req, n) -> n == 2 ? reply(503, "busy")
        : etagged("\"r1\"", "stored body", "max-age=0").reply(req, n));
    get("/retried");
    HttpResponse<String> revalidated = get("/retried");
    assertThat(cacheStatus(revalidated)).contains("fwd-status=304");
    assertThat(revalidated.body()).isEqualTo("stored body");
    assertFeatureHeaders(revalidated);
    assertThat(revalidated.headers().firstValue("x-harp-attempts")).hasValue("2");
  }

  @Test
  void aStaleCopyStandingInForAn5xxCarriesTheFeatureHeadersButNoneOfThe5xxs() {
    origin.script("/stale-5xx", seq(
        ok("old body", "ETag", "\"s1\"", CC, "max-age=0, stale-if-error=600"),
        reply(500, "boom", "X-Upstream-Error", "yes", CC, "no-store", "Content-Type", "text/x-error")));
    get("/stale-5xx");
    HttpResponse<String> stale = get("/stale-5xx");
    assertStaleStandIn(stale, "fwd-status=500");
    assertThat(stale.headers().firstValue("x-upstream-error")).isEmpty();
  }

  @Test
  void aStaleCopyStandingInForAnUpstreamThatClosedCarriesTheFeatureHeaders() {
    origin.script("/stale-down", failingFrom(2, (req, n) -> ok("old body", "ETag", "\"s2\"",
        CC, "max-age=0, stale-if-error=600")));
    get("/stale-down");
    assertStaleStandIn(get("/stale-down"), "detail=stale-if-error");
  }

  @Test
  void aStaleCopyStandingInForABodyThatBrokeCarriesNoneOfTheBrokenResponsesHeaders() {
    // The head of the new response arrived (and was copied towards the client), then its body broke before a byte
    // was relayed: the stored response answers, and nothing of the dropped one may go with it.
    origin.script("/stale-broken", seq(
        ok("old body", "ETag", "\"s3\"", CC, "max-age=0, stale-if-error=600"),
        reply(200, "", "X-Broken", "yes", "ETag", "\"new\"", CC, "max-age=60", "Content-Type", "text/x-new")
            .aborting()));
    get("/stale-broken");
    HttpResponse<String> stale = get("/stale-broken");
    assertStaleStandIn(stale, "detail=stale-if-error");
    assertThat(stale.headers().firstValue("x-broken")).isEmpty();
    assertThat(stale.headers().allValues("etag")).containsExactly("\"s3\"");
  }

  private static void assertStaleStandIn(HttpResponse<String> stale, String cacheStatusPart) {
    assertThat(stale.statusCode()).as("headers %s", stale.headers().map()).isEqualTo(200);
    assertThat(stale.body()).isEqualTo("old body");
    assertThat(stale.headers().allValues("cache-status")).as("headers %s", stale.headers().map()).singleElement()
        .asString().contains(cacheStatusPart).contains("detail=stale-if-error");
    assertThat(stale.headers().allValues("cache-control")).containsExactly("max-age=0, stale-if-error=600");
    assertThat(stale.headers().allValues("content-type")).allMatch(t -> !t.startsWith("text/x-"));
    assertThat(stale.headers().allValues("content-length")).containsExactly("8");
    assertFeatureHeaders(stale);
  }

  /** What the request phase put there: one of each, whatever answered; the request id is the client's own. */
  private static void assertFeatureHeaders(HttpResponse<String> r) {
    var h = r.headers();
    String what = r.request().uri().getPath() + " (" + cacheStatus(r) + ") headers " + h.map();
    assertThat(h.allValues("ratelimit-policy")).as("RateLimit-Policy of %s", what).hasSize(1);
    assertThat(h.allValues("ratelimit")).as("RateLimit of %s", what).hasSize(1);
    assertThat(h.allValues("x-request-id")).as("X-Request-Id of %s", what)
        .containsExactly(r.request().headers().firstValue("x-request-id").orElseThrow());
    assertThat(h.allValues("via")).as("Via of %s", what).containsExactly("1.1 harp");
  }

  private HttpResponse<String> get(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("X-Api-Key", KEY).header("X-Request-Id", "test-" + REQUEST.incrementAndGet())
        .timeout(Duration.ofSeconds(20)).build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      awaitCacheWrites();
      return r;
    } catch (Exception e) {
      throw new IllegalStateException("GET " + path + " failed", e);
    }
  }

  /** Waits until no store or removal is in progress, so the next request sees what this one stored. */
  private static void awaitCacheWrites() {
    Await.until("cache writes finished", Duration.ofSeconds(20), () -> node.metrics().registry()
        .find("harp_cache_writes_pending").gauges().stream().mapToDouble(Gauge::value).sum() == 0);
  }

  private static String cacheStatus(HttpResponse<String> r) {
    return r.headers().firstValue("cache-status").orElse("");
  }
}
