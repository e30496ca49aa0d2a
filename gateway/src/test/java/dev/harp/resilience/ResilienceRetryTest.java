package dev.harp.resilience;

import dev.harp.testkit.Ports;
import dev.harp.testkit.LogCapture;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Retries against real loopback upstreams that fail on command. */
class ResilienceRetryTest {

  private final SingleNode harp = new SingleNode();

  @AfterEach
  void close() {
    harp.close();
  }

  /** Answers 503 to the first {@code failures} requests, then 200; records when each request arrived. */
  private static TestUpstream flaky(TestUpstream upstream, int failures, List<Long> arrivals, List<String> bodies) {
    AtomicInteger calls = new AtomicInteger();
    return upstream.handler(req -> req.body().onSuccess(body -> {
      arrivals.add(System.nanoTime());
      bodies.add(body.toString());
      if (calls.incrementAndGet() <= failures) {
        req.response().setStatusCode(503).end("busy");
      } else {
        req.response().end("ok after " + (calls.get() - 1) + " failures");
      }
    }));
  }

  @Test
  void aGetThatMeets503ThreeTimesSucceedsAfterBackedOffRetries() {
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    TestUpstream up = flaky(harp.upstream(), 3, arrivals, new CopyOnWriteArrayList<>());
    harp.start("""
        upstream: {endpoints: [%s]}
        retry: {maxAttempts: 4, backoff: {base: 40ms, max: 300ms}}
        """.formatted(up.url()));

    HttpResponse<String> r;
    try (LogCapture logs = LogCapture.start()) {
      r = Client.get(harp.proxyPort, "/orders");
      // A retry drops the 503's connection on purpose: that is no error (Vert.x logged "Stream reset" at ERROR).
      assertThat(logs.lines()).noneMatch(l -> l.startsWith("ERROR"));
    }

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("ok after 3 failures");
    assertThat(r.headers().firstValue("x-harp-attempts")).hasValue("4");
    assertThat(up.seen()).hasSize(4).allSatisfy(s -> assertThat(s.uri()).isEqualTo("/orders"));
    // Full jitter: retry n waits a random time in [0, min(300, 40·2^n)] ms. The upper bound is what can be
    // asserted without flakiness (plus scheduling slack on a shared machine); the distribution is BackoffTest's.
    long[] capsMs = {40, 80, 160};
    for (int i = 1; i < arrivals.size(); i++) {
      long gapMs = (arrivals.get(i) - arrivals.get(i - 1)) / 1_000_000;
      assertThat(gapMs).as("gap before attempt %d", i + 1).isLessThan(capsMs[i - 1] + 1_500);
    }
    assertThat(retries("503")).isEqualTo(3.0);
  }

  @Test
  void aPostIsNotRetriedOnA503() {
    List<String> bodies = new CopyOnWriteArrayList<>();
    TestUpstream up = flaky(harp.upstream(), 3, new CopyOnWriteArrayList<>(), bodies);
    harp.start("""
        upstream: {endpoints: [%s]}
        retry: {maxAttempts: 4}
        """.formatted(up.url()));

    HttpResponse<String> r = Client.send(harp.proxyPort, "POST", "/orders", "{\"item\": 1}");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("busy");
    assertThat(r.headers().firstValue("x-harp-attempts")).isEmpty();
    assertThat(bodies).containsExactly("{\"item\": 1}");
  }

  @Test
  void aSmallBodyIsReplayedWholeToTheRetry() {
    List<String> bodies = new CopyOnWriteArrayList<>();
    TestUpstream up = flaky(harp.upstream(), 1, new CopyOnWriteArrayList<>(), bodies);
    harp.start("""
        upstream: {endpoints: [%s]}
        retry: {bufferBodyUpTo: 4KiB}
        """.formatted(up.url()));
    String body = "x".repeat(3000);

    HttpResponse<String> r = Client.send(harp.proxyPort, "PUT", "/doc", body);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(bodies).containsExactly(body, body);
  }

  @Test
  void aBodyLargerThanTheBufferIsNotRetriedOnceSent() {
    List<String> bodies = new CopyOnWriteArrayList<>();
    TestUpstream up = flaky(harp.upstream(), 1, new CopyOnWriteArrayList<>(), bodies);
    harp.start("""
        upstream: {endpoints: [%s]}
        retry: {bufferBodyUpTo: 1KiB}
        """.formatted(up.url()));

    HttpResponse<String> r = Client.send(harp.proxyPort, "PUT", "/doc", "y".repeat(4096));

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(bodies).hasSize(1);
  }

  @Test
  void anyMethodIsRetriedWhenTheConnectionFailedSoNothingWasSent() {
    TestUpstream good = harp.upstream().handler(req -> req.body().onSuccess(b -> req.response().end("got " + b)));
    int closed = Ports.free(); // nothing listens there
    harp.start("""
        upstream: {endpoints: [http://127.0.0.1:%d, %s]}
        retry: {}
        outlier: {consecutiveFailures: 0}
        """.formatted(closed, good.url()));

    for (int i = 0; i < 4; i++) {
      HttpResponse<String> r = Client.send(harp.proxyPort, "POST", "/orders", "order-" + i);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("got order-" + i);
    }
    // Round-robin sent every other request to the closed port first; each of those was retried on the good one.
    assertThat(good.seen()).hasSize(4);
    assertThat(retries("connect-failure")).isEqualTo(2.0);
  }

  @Test
  void eachAttemptGoesToADifferentEndpoint() {
    List<TestUpstream> ups = List.of(harp.upstream(), harp.upstream(), harp.upstream());
    ups.forEach(u -> u.handler(req -> req.response().setStatusCode(502).end("from " + u.port())));
    harp.start("""
        upstream: {endpoints: [%s, %s, %s]}
        retry: {maxAttempts: 3, backoff: {base: 1ms, max: 5ms}}
        outlier: {consecutiveFailures: 0}
        """.formatted(ups.get(0).url(), ups.get(1).url(), ups.get(2).url()));

    HttpResponse<String> r = Client.get(harp.proxyPort, "/x");

    assertThat(r.statusCode()).as("the last attempt's answer is delivered").isEqualTo(502);
    assertThat(r.headers().firstValue("x-harp-attempts")).hasValue("3");
    assertThat(ups).allSatisfy(u -> assertThat(u.seen()).hasSize(1));
  }

  @Test
  void anUpstreamRetryAfterIsWaitedForUpToTheCapAndPassedOnBeyondIt() {
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    TestUpstream up = harp.upstream().handler(req -> {
      arrivals.add(System.nanoTime());
      int n = calls.incrementAndGet();
      if (req.path().equals("/short") && n == 1) {
        req.response().setStatusCode(503).putHeader("Retry-After", "1").end();
      } else if (req.path().equals("/long")) {
        req.response().setStatusCode(503).putHeader("Retry-After", "120").end("come back later");
      } else {
        req.response().end("ok");
      }
    });
    harp.start("""
        upstream: {endpoints: [%s]}
        retry: {retryAfterCap: 2s, backoff: {base: 1ms, max: 2ms}}
        """.formatted(up.url()));

    HttpResponse<String> shortWait = Client.get(harp.proxyPort, "/short");
    assertThat(shortWait.statusCode()).isEqualTo(200);
    long waitedMs = (arrivals.get(1) - arrivals.get(0)) / 1_000_000;
    assertThat(waitedMs).as("Retry-After: 1 was honoured").isGreaterThanOrEqualTo(950);

    HttpResponse<String> longWait = Client.get(harp.proxyPort, "/long");
    assertThat(longWait.statusCode()).isEqualTo(503);
    assertThat(longWait.headers().firstValue("retry-after")).hasValue("120");
    assertThat(up.seen()).hasSize(3);
  }

  @Test
  void whenEveryAttemptFailsTheProblemSaysWhatWasTried() {
    int closedA = Ports.free();
    int closedB = Ports.free();
    harp.start("""
        upstream: {endpoints: [http://127.0.0.1:%d, http://127.0.0.1:%d]}
        retry: {maxAttempts: 2, backoff: {base: 1ms, max: 2ms}}
        outlier: {consecutiveFailures: 0}
        """.formatted(closedA, closedB));

    HttpResponse<String> r = Client.get(harp.proxyPort, "/x");

    assertThat(r.statusCode()).isEqualTo(502);
    JsonObject problem = new JsonObject(r.body());
    assertThat(problem.getString("type")).endsWith("/upstream-connect-failed");
    assertThat(problem.getString("detail")).contains("2 attempts, last retried on connect-failure");
  }

  private double retries(String reason) {
    var counter = harp.node.metrics().registry().find("harp_retries").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }
}
