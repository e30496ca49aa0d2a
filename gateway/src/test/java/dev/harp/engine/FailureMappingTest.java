package dev.harp.engine;

import dev.harp.testkit.Ports;
import dev.harp.testkit.TestUpstream;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FailureMappingTest extends ProxyTestBase {

  @Test
  void refusedConnectionIs502ProblemWithRequestId() throws Exception {
    int closedPort = Ports.free(); // nothing listens there
    startProxy("http://127.0.0.1:" + closedPort, "");
    HttpResponse<String> r = get("/x");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    JsonObject problem = new JsonObject(r.body());
    assertThat(problem.getString("type")).isEqualTo("https://harp.dev/problems/upstream-connect-failed");
    assertThat(problem.getString("title")).isEqualTo("Bad Gateway");
    assertThat(problem.getInteger("status")).isEqualTo(502);
    assertThat(problem.getString("instance")).isEqualTo("/x");
    assertThat(problem.getString("requestId")).isEqualTo(r.headers().firstValue("x-request-id").orElseThrow());
    assertThat(problem.getString("detail")).contains(String.valueOf(closedPort));
  }

  @Test
  void noResponseHeadWithinTheResponseTimeoutIs504() throws Exception {
    TestUpstream silent = upstream().handler(req -> { /* never answers */ });
    startProxy(silent.url(), "timeouts: {response: 300ms}");
    long start = System.nanoTime();
    HttpResponse<String> r = get("/slow");
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.statusCode()).isEqualTo(504);
    JsonObject problem = new JsonObject(r.body());
    assertThat(problem.getString("type")).endsWith("/upstream-response-timeout");
    assertThat(problem.getString("title")).isEqualTo("Gateway Timeout");
    assertThat(ms).isBetween(250L, 5_000L);
  }

  @Test
  void silenceMidBodyClosesTheClientConnectionInsteadOfLying() throws Exception {
    TestUpstream stalling = upstream().handler(req -> req.response().setChunked(true).write("partial"));
    startProxy(stalling.url(), "timeouts: {response: 5s, idle: 300ms}");
    // The head (200) already went out: the only honest signal left is an incomplete chunked body.
    assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create(proxyUrl("/"))).build(),
        HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
  }

  @Test
  void upstreamErrorsMapToTheirProblemTypes() {
    assertThat(ProxyFailure.ofUpstream(new ConnectException("refused"), false))
        .isEqualTo(ProxyFailure.UPSTREAM_CONNECT_FAILED);
    assertThat(ProxyFailure.ofUpstream(new ConnectTimeoutException("t"), false).status).isEqualTo(504);
    assertThat(ProxyFailure.ofUpstream(new TimeoutException("t"), false))
        .isEqualTo(ProxyFailure.UPSTREAM_RESPONSE_TIMEOUT);
    assertThat(ProxyFailure.ofUpstream(new TimeoutException("t"), true)).isEqualTo(ProxyFailure.UPSTREAM_IDLE_TIMEOUT);
    assertThat(ProxyFailure.ofUpstream(new io.vertx.core.http.HttpClosedException("closed"), false).status)
        .isEqualTo(502);
  }
}
