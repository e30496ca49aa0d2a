package dev.harp.engine;

import dev.harp.http.HopByHop;
import dev.harp.testkit.Await;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ForwardingTest extends ProxyTestBase {

  @Test
  void forwardsWithProxyHeadersAndAnswersWithVia() throws Exception {
    TestUpstream up = upstream().handler(req -> req.response().putHeader("X-Up", "1").end("hello"));
    startProxy(up.url(), "");
    HttpResponse<String> r = get("/a/b?q=1");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello");
    assertThat(r.headers().firstValue("via")).hasValue("1.1 harp");
    assertThat(r.headers().firstValue("x-up")).hasValue("1");
    String id = r.headers().firstValue("x-request-id").orElseThrow();
    assertThat(id).matches("[0-9a-f]{32}");

    TestUpstream.Seen seen = up.seen().get(0);
    assertThat(seen.uri()).isEqualTo("/a/b?q=1");
    MultiMap h = seen.headers();
    assertThat(h.get("x-request-id")).isEqualTo(id);
    assertThat(h.get("host")).isEqualTo("127.0.0.1:" + up.port());
    assertThat(h.get("x-forwarded-for")).isEqualTo("127.0.0.1");
    assertThat(h.get("x-forwarded-proto")).isEqualTo("http");
    assertThat(h.get("x-forwarded-host")).isEqualTo("127.0.0.1:" + proxyPort);
    assertThat(h.get("forwarded")).isEqualTo("for=127.0.0.1;proto=http;host=\"127.0.0.1:" + proxyPort + "\"");
    assertThat(h.get("via")).isEqualTo("1.1 harp");
  }

  @Test
  void keepsTheClientsRequestIdAndAppendsToForwardingChains() throws Exception {
    TestUpstream up = upstream();
    startProxy(up.url(), "");
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(proxyUrl("/")))
        .header("X-Request-Id", "abc-123").header("X-Forwarded-For", "10.1.2.3")
        .header("X-Forwarded-Proto", "https").header("Via", "1.0 edge").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.headers().firstValue("x-request-id")).hasValue("abc-123");
    MultiMap h = up.seen().get(0).headers();
    assertThat(h.get("x-request-id")).isEqualTo("abc-123");
    assertThat(h.get("x-forwarded-for")).isEqualTo("10.1.2.3, 127.0.0.1");
    assertThat(h.get("x-forwarded-proto")).as("a client cannot claim https").isEqualTo("http");
    assertThat(h.get("via")).isEqualTo("1.0 edge, 1.1 harp");
  }

  @Test
  void stripsHopByHopHeadersBothWays() throws Exception {
    TestUpstream up = upstream().handler(req -> req.response()
        .putHeader("Connection", "X-Up-Private")
        .putHeader("X-Up-Private", "secret")
        .putHeader("Keep-Alive", "timeout=5")
        .putHeader("Proxy-Authenticate", "Basic")
        .end("ok"));
    startProxy(up.url(), "");
    String response = raw("GET /h HTTP/1.1\r\nHost: x\r\nConnection: close, X-Private\r\nX-Private: 1\r\n"
        + "Keep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Authorization: Basic Zm9v\r\nX-Kept: yes\r\n\r\n",
        Duration.ofSeconds(5));
    assertThat(response).startsWith("HTTP/1.1 200");
    assertThat(response.toLowerCase()).doesNotContain("x-up-private").doesNotContain("keep-alive: timeout")
        .doesNotContain("proxy-authenticate");
    MultiMap h = up.seen().get(0).headers();
    assertThat(h.contains("x-private")).isFalse();
    assertThat(h.contains("keep-alive")).isFalse();
    assertThat(h.contains("te")).isFalse();
    assertThat(h.contains("proxy-authorization")).isFalse();
    assertThat(h.get("x-kept")).isEqualTo("yes");
  }

  @Test
  void roundRobinSpreadsEvenly() throws Exception {
    TestUpstream a = upstream();
    TestUpstream b = upstream();
    startProxy(a.url() + ", " + b.url(), "");
    for (int i = 0; i < 10; i++) {
      assertThat(get("/").statusCode()).isEqualTo(200);
    }
    assertThat(a.seen()).hasSize(5);
    assertThat(b.seen()).hasSize(5);
  }

  @Test
  void leastRequestsAvoidsTheBusyEndpoint() throws Exception {
    List<io.vertx.core.http.HttpServerRequest> held = new CopyOnWriteArrayList<>();
    TestUpstream slow = upstream().handler(held::add);
    TestUpstream fast = upstream();
    startProxyWithUpstream("endpoints: [%s, %s], lb: least-requests".formatted(slow.url(), fast.url()), "");
    // One request parks on whichever endpoint it reaches; if that is the slow one, it has work in flight from then
    // on and least-requests must send everything else to the fast one.
    var parked = http.sendAsync(HttpRequest.newBuilder(URI.create(proxyUrl("/park"))).build(),
        HttpResponse.BodyHandlers.ofString());
    Await.until("a request parked on the slow endpoint", Duration.ofSeconds(10),
        () -> held.size() == 1 || !fast.seen().isEmpty());
    boolean parkedOnSlow = held.size() == 1;
    for (int i = 0; i < 6; i++) {
      assertThat(get("/").statusCode()).isEqualTo(200);
    }
    if (parkedOnSlow) {
      assertThat(fast.seen()).hasSize(6);
      assertThat(held).hasSize(1);
      held.get(0).response().end("released");
      assertThat(parked.get().body()).isEqualTo("released");
    } else {
      assertThat(parked.get().statusCode()).isEqualTo(200);
    }
  }

  @Test
  void baseHostPreservedOnlyWhenAsked() throws Exception {
    TestUpstream up = upstream();
    startProxy(up.url(), "preserveHost: true");
    get("/");
    assertThat(up.seen().get(0).headers().get("host")).isEqualTo("127.0.0.1:" + proxyPort);
  }

  @Test
  void requestBodiesAndMethodsPassThrough() throws Exception {
    TestUpstream up = upstream().handler(req -> req.body().onSuccess(b -> req.response()
        .end(new JsonObject().put("method", req.method().name()).put("len", b.length())
            .put("chunked", req.headers().contains("transfer-encoding")).encode())));
    startProxy(up.url(), "");
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(proxyUrl("/p")))
        .method("PUT", HttpRequest.BodyPublishers.ofString("x".repeat(100_000))).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonObject body = new JsonObject(r.body());
    assertThat(body.getString("method")).isEqualTo("PUT");
    assertThat(body.getInteger("len")).isEqualTo(100_000);
    assertThat(body.getBoolean("chunked")).isFalse();
  }

  @Test
  void expectContinueIsDecidedByTheUpstream() throws Exception {
    TestUpstream up = upstream().handler(req -> {
      req.response().writeContinue();
      req.body().onSuccess(b -> req.response().end("got " + b.length()));
    });
    startProxy(up.url(), "");
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", proxyPort)) {
      s.setSoTimeout(5_000);
      var out = s.getOutputStream();
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream()));
      out.write(("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n").getBytes());
      out.flush();
      // The body is only sent once the upstream's 100 came back through HARP.
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
      assertThat(in.readLine()).isEmpty();
      out.write("hello".getBytes());
      out.flush();
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
      String line;
      int length = -1;
      while (!(line = in.readLine()).isEmpty()) {
        if (line.toLowerCase().startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      char[] body = new char[length];
      assertThat(in.read(body)).isEqualTo(length);
      assertThat(new String(body)).isEqualTo("got 5");
    }
  }
}
