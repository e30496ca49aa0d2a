package dev.harp.resilience;

import dev.harp.config.ConfigLoader;
import dev.harp.config.HarpConfig;
import dev.harp.config.InvalidConfigException;
import dev.harp.config.ProxyConfig;
import dev.harp.engine.FilterBlock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The resilience keys: the documented shape, defaults, and every mistake named by its key path. */
class ResilienceConfigTest {

  private static ProxyConfig proxy(String body) {
    HarpConfig c = ConfigLoader.parse("proxies:\n  - name: api\n    port: 4000\n" + body.stripIndent().indent(4),
        "test.yaml", Map.of(), null);
    return c.proxy("api");
  }

  /** What the resilience filter's factory read from the proxy's blocks (none present: its defaults). */
  private static ResilienceSettings blocks(ProxyConfig p) {
    FilterBlock block = p.<FilterBlock>feature(ResilienceFilterFactory.NAME).orElseThrow();
    assertThat(block.factory()).isInstanceOf(ResilienceFilterFactory.class);
    return (ResilienceSettings) block.config();
  }

  /** What runs on the proxy: null when resilience is off. */
  private static ResilienceSettings effective(ProxyConfig p) {
    return blocks(p).effective(!p.upstream().fallback().isEmpty());
  }

  private static InvalidConfigException invalid(String body) {
    try {
      proxy(body);
    } catch (InvalidConfigException e) {
      return e;
    }
    throw new AssertionError("config was accepted:\n" + body);
  }

  @Test
  void theFlakyApiExampleFromTheDocsReads() {
    ProxyConfig p = proxy("""
        upstream:
          endpoints:
            - http://10.0.0.11:8080
            - {url: http://10.0.0.12:8080, weight: 3}
          fallback: [https://backup.example.com/v1]
          lb: consistent-hash
          hashOn: header:X-Customer
        timeouts: {connect: 1s, response: 5s, idle: 30s, deadline: 12s}
        retry:
          maxAttempts: 4
          methods: [GET, HEAD, put]
          retryOn: [connect-failure, reset, timeout, 502, 503, 504, 429]
          bufferBodyUpTo: 128KiB
          backoff: {base: 50ms, max: 2s}
          retryAfterCap: 3s
          budget: {percent: 25, minPerSecond: 5, window: 20s}
        circuitBreaker: {failures: 10, window: 30s, resetTimeout: 15s}
        health:
          path: /healthz
          expectStatus: [200, "204-205"]
          interval: 3s
          timeout: 1s
          healthyThreshold: 2
          unhealthyThreshold: 4
        outlier: {consecutiveFailures: 3, baseEjection: 20s, maxEjection: 10m, maxEjectedPercent: 34}
        """);
    assertThat(p.upstream().endpoints()).extracting(ProxyConfig.Endpoint::weight).containsExactly(1, 3);
    assertThat(p.upstream().fallback()).extracting(ProxyConfig.Endpoint::url)
        .containsExactly("https://backup.example.com:443/v1");
    assertThat(p.upstream().balancing()).isEqualTo(ProxyConfig.Balancing.CONSISTENT_HASH);
    assertThat(p.upstream().hashOn()).hasToString("header:x-customer");
    assertThat(p.timeouts().deadline()).isEqualTo(Duration.ofSeconds(12));
    RetrySettings r = blocks(p).retry();
    assertThat(r.maxAttempts()).isEqualTo(4);
    assertThat(r.methods()).containsExactlyInAnyOrder("GET", "HEAD", "PUT");
    assertThat(r.conditions()).containsExactlyInAnyOrder(RetrySettings.Condition.values());
    assertThat(r.statuses()).containsExactlyInAnyOrder(502, 503, 504, 429);
    assertThat(r.bufferBodyUpTo()).isEqualTo(128 * 1024);
    assertThat(r.backoff().max()).isEqualTo(Duration.ofSeconds(2));
    assertThat(r.budget()).isEqualTo(new RetrySettings.Budget(25, 5, Duration.ofSeconds(20)));
    assertThat(blocks(p).breaker())
        .isEqualTo(new BreakerSettings(10, Duration.ofSeconds(30), Duration.ofSeconds(15), true));
    HealthSettings h = blocks(p).health();
    assertThat(h.expectStatus()).containsExactlyInAnyOrder(200, 204, 205);
    assertThat(h.unhealthyThreshold()).isEqualTo(4);
    assertThat(blocks(p).outlier().maxEjectedPercent()).isEqualTo(34);
  }

  @Test
  void emptyBlocksMeanTheDocumentedDefaults() {
    ProxyConfig p = proxy("""
        upstream: {endpoints: [http://127.0.0.1:9000]}
        retry: {}
        circuitBreaker: {}
        health: {}
        """);
    RetrySettings r = blocks(p).retry();
    assertThat(r.maxAttempts()).isEqualTo(3);
    assertThat(r.methods()).containsExactlyInAnyOrder("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");
    assertThat(r.statuses()).containsExactlyInAnyOrder(502, 503, 504);
    assertThat(r.connectFailureAnyMethod()).isTrue();
    assertThat(r.bufferBodyUpTo()).isEqualTo(64 * 1024);
    assertThat(r.backoff()).isEqualTo(new RetrySettings.Backoff(Duration.ofMillis(25), Duration.ofSeconds(1)));
    assertThat(r.retryAfterCap()).isEqualTo(Duration.ofSeconds(2));
    assertThat(r.budget()).isEqualTo(new RetrySettings.Budget(20, 10, Duration.ofSeconds(10)));
    assertThat(blocks(p).breaker())
        .isEqualTo(new BreakerSettings(5, Duration.ofSeconds(10), Duration.ofSeconds(10), true));
    HealthSettings h = blocks(p).health();
    assertThat(h.method()).isEqualTo("GET");
    assertThat(h.path()).isEqualTo("/");
    assertThat(h.expects(200)).isTrue();
    assertThat(h.expects(399)).isTrue();
    assertThat(h.expects(404)).isFalse();
    assertThat(h.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(effective(p).outlier()).isEqualTo(OutlierSettings.DEFAULTS);
    assertThat(effective(proxy("upstream: {endpoints: [http://127.0.0.1:9000]}"))).isNull();
  }

  @Test
  void theSimpleEndpointListStaysValid() {
    ProxyConfig p = proxy("upstream: {endpoints: [http://127.0.0.1:9000, http://127.0.0.1:9001]}");
    assertThat(p.upstream().endpoints()).extracting(ProxyConfig.Endpoint::weight).containsExactly(1, 1);
    assertThat(p.upstream().fallback()).isEmpty();
    assertThat(p.upstream().hashOn()).isNull();
    assertThat(p.timeouts().deadline()).isZero();
  }

  @Test
  void everyMistakeIsReportedWithItsKeyPath() {
    InvalidConfigException e = invalid("""
        upstream:
          endpoints: [http://127.0.0.1:9000, {url: http://127.0.0.1:9001, weight: 0}, {href: x}, http://127.0.0.1:9000]
          fallback: [http://127.0.0.1:9001]
          lb: consistent-hash
          hashOn: body
        timeouts: {deadline: soon}
        retry:
          maxAttempts: 0
          methods: [GET, "PO ST"]
          retryOn: [connect-failure, teapot, 200]
          bufferBodyUpTo: 1GiB
          backoff: {base: 2s, max: 1s}
          budget: {percent: 150, window: 0s}
          retries: 3
        circuitBreaker: {failures: 0, window: 500ms, resetTimeout: 0s}
        health: {method: POST, path: health, expectStatus: [200, "300-200"], interval: 1s, timeout: 2s}
        outlier: {consecutiveFailures: -1, baseEjection: 1m, maxEjection: 10s, maxEjectedPercent: 101}
        """);
    assertThat(e.problems()).containsExactlyInAnyOrder(
        "proxies[0].upstream.endpoints[1].weight: must be between 1 and 100, got 0",
        "proxies[0].upstream.endpoints[2].href: unknown key (allowed here: url, weight)",
        "proxies[0].upstream.endpoints[2].url: is required",
        "proxies[0].upstream.endpoints: 'http://127.0.0.1:9000' is listed twice (give it a weight instead)",
        "proxies[0].upstream.fallback: 'http://127.0.0.1:9001' is already an endpoint of this upstream",
        "proxies[0].upstream.hashOn: 'body' is not a hash key (header:NAME, cookie:NAME, query:NAME, path or "
            + "client-ip)",
        "proxies[0].timeouts.deadline: 'soon' is not a duration (use e.g. 500ms, 2s, 5m, 1h, 1d)",
        "proxies[0].retry.maxAttempts: must be between 1 and 10, got 0",
        "proxies[0].retry.methods[1]: 'PO ST' is not an HTTP method",
        "proxies[0].retry.retryOn[1]: 'teapot' is not a retry condition (connect-failure, reset, timeout, or a "
            + "status 400-599)",
        "proxies[0].retry.retryOn[2]: '200' is not a retry condition (connect-failure, reset, timeout, or a "
            + "status 400-599)",
        "proxies[0].retry.bufferBodyUpTo: must be at most 16MiB (it is held in memory per request), got 1073741824",
        "proxies[0].retry.backoff.max: must be at least backoff.base (2000 ms)",
        "proxies[0].retry.budget.percent: must be between 0 and 100, got 150",
        "proxies[0].retry.budget.window: must be between 1s and 10m, got 0 ms",
        "proxies[0].retry.retries: unknown key (allowed here: backoff, budget, bufferBodyUpTo, "
            + "connectFailureAnyMethod, maxAttempts, methods, retryAfterCap, retryOn)",
        "proxies[0].circuitBreaker.failures: must be between 1 and 10000, got 0",
        "proxies[0].circuitBreaker.window: must be at least 1s (failures are counted per second), got 500 ms",
        "proxies[0].circuitBreaker.resetTimeout: must be greater than 0",
        "proxies[0].health.method: 'POST' must be GET, HEAD or OPTIONS (probes must be safe)",
        "proxies[0].health.path: 'health' must start with /",
        "proxies[0].health.expectStatus[1]: '300-200' is not a status or range (e.g. 200, \"200-399\")",
        "proxies[0].health.timeout: must not exceed health.interval (1000 ms), got 2000 ms",
        "proxies[0].outlier.consecutiveFailures: must be between 0 and 10000, got -1",
        "proxies[0].outlier.maxEjection: must be at least baseEjection (60000 ms)",
        "proxies[0].outlier.maxEjectedPercent: must be between 0 and 100, got 101");
  }

  @Test
  void consistentHashingNeedsAKeyAndOnlyItTakesOne() {
    assertThat(invalid("upstream: {endpoints: [http://127.0.0.1:9000], lb: consistent-hash}").problems())
        .containsExactly("proxies[0].upstream.hashOn: is required when lb is consistent-hash (header:NAME, "
            + "cookie:NAME, query:NAME, path or client-ip)");
    assertThat(invalid("upstream: {endpoints: [http://127.0.0.1:9000], hashOn: path}").problems())
        .containsExactly("proxies[0].upstream.hashOn: applies only with lb: consistent-hash");
  }
}
