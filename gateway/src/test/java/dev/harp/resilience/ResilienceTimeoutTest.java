package dev.harp.resilience;

import dev.harp.engine.CompletedExchange;
import dev.harp.engine.ProxyFailure;
import dev.harp.testkit.Await;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Connect, first byte, idle and the overall deadline: each failure says which timeout fired. */
class ResilienceTimeoutTest {

  private final SingleNode harp = new SingleNode();
  private final List<AutoCloseable> extra = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    harp.close();
    for (AutoCloseable c : extra) {
      c.close();
    }
  }

  private static JsonObject problem(HttpResponse<String> r) {
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    return new JsonObject(r.body());
  }

  @Test
  void connectTimeoutSaysConnect() throws Exception {
    // A listener that never accepts, its backlog filled: further SYNs are dropped, so connecting hangs.
    ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    extra.add(full);
    for (int i = 0; i < 3; i++) {
      Socket s = new Socket();
      extra.add(s);
      try {
        s.connect(full.getLocalSocketAddress(), 200);
      } catch (IOException e) {
        break; // backlog full already
      }
    }
    harp.start("""
        upstream: {endpoints: ['http://127.0.0.1:%d']}
        timeouts: {connect: 300ms}
        """.formatted(full.getLocalPort()));

    HttpResponse<String> r = Client.get(harp.proxyPort, "/");

    assertThat(r.statusCode()).isEqualTo(504);
    JsonObject p = problem(r);
    assertThat(p.getString("timeout")).isEqualTo("connect");
    assertThat(p.getString("type")).endsWith("/upstream-connect-timeout");
    assertThat(p.getString("detail")).contains("took longer than 300 ms (timeouts.connect)");
  }

  @Test
  void noResponseHeadSaysFirstByte() {
    TestUpstream silent = harp.upstream().handler(req -> { /* never answers */ });
    harp.start("""
        upstream: {endpoints: [%s]}
        timeouts: {response: 300ms}
        """.formatted(silent.url()));

    JsonObject p = problem(Client.get(harp.proxyPort, "/"));

    assertThat(p.getString("timeout")).isEqualTo("firstByte");
    assertThat(p.getString("detail")).contains("within 300 ms of sending the request (timeouts.response)");
  }

  @Test
  void silenceMidBodyIsAnIdleTimeoutInTheExchangeRecord() {
    TestUpstream stalling = harp.upstream().handler(req -> req.response().setChunked(true).write("partial"));
    harp.start("""
        upstream: {endpoints: [%s]}
        timeouts: {idle: 300ms}
        """.formatted(stalling.url()));
    List<CompletedExchange> done = new CopyOnWriteArrayList<>();
    harp.node.proxy("api").addListener(done::add);

    // The head already went out, so the client's only signal is a cut connection; HARP's record says which.
    try {
      Client.get(harp.proxyPort, "/");
    } catch (IllegalStateException expected) {
      // the truncated chunked body fails the client read
    }
    Await.until("the exchange completed", Duration.ofSeconds(5), () -> !done.isEmpty());
    assertThat(done.get(0).failure()).isEqualTo(ProxyFailure.UPSTREAM_IDLE_TIMEOUT);
    assertThat(ProxyFailure.UPSTREAM_IDLE_TIMEOUT.timeout).isEqualTo("idle");
  }

  @Test
  void theDeadlineBoundsTheWholeExchangeRetriesIncluded() {
    TestUpstream slow = harp.upstream().handler(req ->
        req.response().setStatusCode(503).end()); // always busy: retried until the deadline
    harp.start("""
        upstream: {endpoints: [%s]}
        timeouts: {deadline: 700ms}
        retry: {maxAttempts: 10, backoff: {base: 150ms, max: 150ms}, budget: {minPerSecond: 1000}}
        """.formatted(slow.url()));

    long start = System.nanoTime();
    HttpResponse<String> r = Client.get(harp.proxyPort, "/");
    long ms = (System.nanoTime() - start) / 1_000_000;

    // Either the next back-off would pass the deadline (the last 503 is delivered) or it fired mid-wait (504).
    assertThat(r.statusCode()).isIn(503, 504);
    assertThat(ms).isLessThan(5_000);
    // Full jitter may make every back-off short, so all maxAttempts can fit in the deadline; never more.
    assertThat(slow.seen().size()).isBetween(2, 10);
  }

  @Test
  void theDeadlineFiringIsA504SayingDeadline() {
    TestUpstream slow = harp.upstream();
    slow.handler(req -> slow.vertx().setTimer(3_000, t -> req.response().end("late")));
    harp.start("""
        upstream: {endpoints: [%s]}
        timeouts: {response: 10s, deadline: 400ms}
        """.formatted(slow.url()));

    long start = System.nanoTime();
    HttpResponse<String> r = Client.get(harp.proxyPort, "/");
    long ms = (System.nanoTime() - start) / 1_000_000;

    assertThat(r.statusCode()).isEqualTo(504);
    JsonObject p = problem(r);
    assertThat(p.getString("timeout")).isEqualTo("deadline");
    assertThat(p.getString("type")).endsWith("/request-deadline-exceeded");
    assertThat(p.getString("detail")).contains("within 400 ms (timeouts.deadline)");
    assertThat(ms).isBetween(350L, 2_900L);
  }
}
