package dev.harp.cache;

import dev.harp.cache.Rfc.Case;
import dev.harp.node.HarpNode;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.Ports;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.harp.cache.Origin.reply;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RFC suite: each case scripts a real loopback origin, sends real requests through one HARP node (standalone
 * Hazelcast member, near cache, IMap) and checks what RFC 9111 (shared cache), RFC 5861, RFC 8246, RFC 9110 and
 * RFC 9211 require, moving a test clock instead of sleeping. Case titles cite the section.
 *
 * <p>Proxies: {@code api} (cache: {}), {@code swr} (defaults staleWhileRevalidate 30s, staleIfError 120s),
 * {@code small} (maxObjectSize 64 bytes), {@code nopurge} (purgeAllow: []), {@code two} (two endpoints),
 * {@code host} (preserveHost).
 */
class CacheRfcSuiteTest {

  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-03-01T10:00:00Z").toEpochMilli());
  private static final AtomicInteger CASE_NUMBER = new AtomicInteger();
  private static Clock previousClock;
  private static Origin origin;
  private static Origin origin2;
  private static HarpNode node;
  private static HttpClient client;
  private static HttpClient client10;
  private static final Map<String, Integer> PORTS = new LinkedHashMap<>();

  @BeforeAll
  static void start() {
    previousClock = CacheFilterFactory.clock;
    CacheFilterFactory.clock = CLOCK;
    origin = new Origin(CLOCK);
    origin2 = new Origin(CLOCK);
    for (String p : List.of("api", "swr", "small", "nopurge", "two", "host")) {
      PORTS.put(p, Ports.free());
    }
    String one = "[" + origin.url() + "]";
    node = HarpTestCluster.single("""
        node: {name: rfc-suite, drainTimeout: 2s, eventLoops: 2}
        admin: {bind: 127.0.0.1, port: %d}
        proxies:
          - {name: api, bind: 127.0.0.1, port: %d, upstream: {endpoints: %s}, cache: {}}
          - {name: swr, bind: 127.0.0.1, port: %d, upstream: {endpoints: %s},
             cache: {staleWhileRevalidate: 30s, staleIfError: 120s}}
          - {name: small, bind: 127.0.0.1, port: %d, upstream: {endpoints: %s}, cache: {maxObjectSize: 64}}
          - {name: nopurge, bind: 127.0.0.1, port: %d, upstream: {endpoints: %s}, cache: {purgeAllow: []}}
          - {name: two, bind: 127.0.0.1, port: %d, upstream: {endpoints: [%s, %s]}, cache: {}}
          - {name: host, bind: 127.0.0.1, port: %d, upstream: {endpoints: %s}, preserveHost: true, cache: {}}
        """.formatted(Ports.free(), PORTS.get("api"), one, PORTS.get("swr"), one, PORTS.get("small"), one,
        PORTS.get("nopurge"), one, PORTS.get("two"), origin.url(), origin2.url(), PORTS.get("host"), one));
    client = origin.server.vertx().createHttpClient(new HttpClientOptions().setKeepAlive(false));
    client10 = origin.server.vertx().createHttpClient(new HttpClientOptions().setKeepAlive(false)
        .setProtocolVersion(HttpVersion.HTTP_1_0));
  }

  @AfterAll
  static void stop() {
    try {
      if (node != null) {
        Await.result(node.stop(), Duration.ofSeconds(30));
      }
    } finally {
      origin.close();
      origin2.close();
      CacheFilterFactory.clock = previousClock;
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("cases")
  void rfc(Case c) {
    String base = "/t" + CASE_NUMBER.incrementAndGet();
    c.body().accept(new Rfc(base, PORTS, origin, origin2, CLOCK, client, client10, node));
  }

  @org.junit.jupiter.api.Test
  void theSuiteHasAtLeastSixtyCasesEachCitingItsSection() {
    List<Case> all = cases();
    assertThat(all).hasSizeGreaterThanOrEqualTo(60);
    assertThat(all).allSatisfy(c -> assertThat(c.title()).containsPattern("(RFC \\d{4}|§)"));
  }

  // ---- origin scripts ----------------------------------------------------------------------------------------------

  static Origin.Reply ok(String body, String... headers) {
    return reply(200, body, headers);
  }

  /** 200 with an ETag; answers If-None-Match for that tag with 304 carrying {@code notModifiedHeaders}. */
  static Origin.Script etagged(String etag, String body, String cacheControl, String... notModifiedHeaders) {
    return (req, n) -> {
      String inm = req.getHeader("if-none-match");
      if (inm != null && inm.contains(etag)) {
        Origin.Reply r = reply(304, "", "ETag", etag);
        for (int i = 0; i + 1 < notModifiedHeaders.length; i += 2) {
          r = r.header(notModifiedHeaders[i], notModifiedHeaders[i + 1]);
        }
        return r.header("Cache-Control", cacheControl);
      }
      return ok(body, "ETag", etag, "Cache-Control", cacheControl);
    };
  }

  /** The n-th reply for the n-th call; the last repeats. */
  static Origin.Script seq(Origin.Reply... replies) {
    return (req, n) -> replies[Math.min(n, replies.length) - 1];
  }

  /** An origin that drops the connection without answering (from the given call on). */
  static Origin.Script failingFrom(int call, Origin.Script before) {
    return (HttpServerRequest req, int n) -> {
      if (n >= call) {
        req.connection().close();
        return null;
      }
      return before.reply(req, n);
    };
  }

  static List<Case> cases() {
    List<Case> all = new ArrayList<>();
    all.addAll(CacheRfcCases.storing());
    all.addAll(CacheRfcCases.freshness());
    all.addAll(CacheRfcCases.requestDirectives());
    all.addAll(CacheRfcCases.responseDirectives());
    all.addAll(CacheRfcCases.vary());
    all.addAll(CacheRfcCases.validation());
    all.addAll(CacheRfcCases.staleExtensions());
    all.addAll(CacheRfcCases.invalidation());
    all.addAll(CacheRfcCases.headAndRanges());
    all.addAll(CacheRfcCases.statusKeysAndPurge());
    return all;
  }
}
