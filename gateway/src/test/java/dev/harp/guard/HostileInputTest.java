package dev.harp.guard;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.harp.guard.RawConnection.Ending;
import dev.harp.guard.RawConnection.Response;
import dev.harp.node.HarpNode;
import dev.harp.engine.CompletedExchange;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.Ports;
import dev.harp.testkit.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The "hostile input" acceptance: every smuggling attempt and malformed head is answered by HARP itself with the
 * right status, the connection is closed, nothing reaches the upstream, and the rejection is counted and logged.
 * Everything goes over raw sockets, because no HTTP client library would send these bytes.
 */
@Timeout(60)
class HostileInputTest {

  private static final String HOST = "Host: harp.test\r\n";
  private static final int MAX_URI = 256;
  private static final int MAX_BODY = 1024;

  private static TestUpstream upstream;
  private static HarpNode node;
  private static int port;
  private static final List<String> rejections = new CopyOnWriteArrayList<>();
  private static final List<CompletedExchange> exchanges = new CopyOnWriteArrayList<>();
  private static volatile long testStartMillis;
  /** Requests the upstream received in full (head and whole body), by their X-Probe header. */
  private static final List<String> completeAtUpstream = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    upstream = TestUpstream.start();
    // Reads the whole body before answering, so a request the proxy cut short never gets a response.
    upstream.handler(req -> req.body().onSuccess(b -> {
      completeAtUpstream.add(String.valueOf(req.getHeader("x-probe")));
      req.response().end("ok " + b.length());
    }));
    port = Ports.free();
    node = HarpTestCluster.single("""
        node: {name: n1, eventLoops: 2}
        admin: {bind: 127.0.0.1, port: %d}
        proxies:
          - name: api
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: [%s]}
            limits: {maxUriLength: %d, maxHeaderSize: 2048, maxHeaderCount: 20, maxBodySize: %d, headerReadTimeout: 1s}
        """.formatted(Ports.free(), port, upstream.url(), MAX_URI, MAX_BODY));
    node.proxy("api").addRejectionListener((proxy, reason, status) -> rejections.add(reason + ":" + status));
    // Only exchanges that began in the running test: one a previous test started can complete after the next
    // test's clear() (a CI run saw a GET /hostile 200 land in dribbledHeaderSectionIsCutOffWith408's list).
    node.proxy("api").addListener(e -> {
      if (e.startEpochMillis() >= testStartMillis) {
        exchanges.add(e);
      }
    });
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      Await.result(node.stop(), Duration.ofSeconds(60));
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @BeforeEach
  void clear() {
    testStartMillis = System.currentTimeMillis();
    upstream.seen().clear();
    rejections.clear();
    exchanges.clear();
    completeAtUpstream.clear();
  }

  // ---------------------------------------------------------------- refused at the head: no exchange ever starts

  static Stream<Arguments> refusedHeads() {
    return Stream.of(
        arguments("CL then TE", post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n",
            400, "content-length-and-transfer-encoding"),
        arguments("TE then CL", post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n") + "0\r\n\r\n",
            400, "content-length-and-transfer-encoding"),
        arguments("CL and TE in HTTP/1.0",
            "POST / HTTP/1.0\r\n" + HOST + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400, "content-length-and-transfer-encoding"),
        arguments("CL and unknown TE", post("Content-Length: 5\r\nTransfer-Encoding: xchunked\r\n") + "hello",
            400, "content-length-and-transfer-encoding"),
        arguments("duplicate CL, same value", post("Content-Length: 5\r\nContent-Length: 5\r\n") + "hello",
            400, "duplicate-content-length"),
        arguments("conflicting CL", post("Content-Length: 5\r\nContent-Length: 6\r\n") + "hello!",
            400, "duplicate-content-length"),
        arguments("CL list in one field", post("Content-Length: 5, 5\r\n") + "hello",
            400, "invalid-content-length"),
        arguments("CL with sign", post("Content-Length: +5\r\n") + "hello", 400, "invalid-content-length"),
        arguments("CL not a number", post("Content-Length: 5a\r\n") + "hello", 400, "invalid-content-length"),
        arguments("TE chunked, identity", post("Transfer-Encoding: chunked, identity\r\n") + "0\r\n\r\n",
            400, "invalid-transfer-encoding"),
        arguments("TE gzip, chunked", post("Transfer-Encoding: gzip, chunked\r\n") + "0\r\n\r\n",
            400, "invalid-transfer-encoding"),
        arguments("TE xchunked", post("Transfer-Encoding: xchunked\r\n") + "0\r\n\r\n",
            400, "invalid-transfer-encoding"),
        arguments("TE identity", post("Transfer-Encoding: identity\r\n") + "0\r\n\r\n",
            400, "invalid-transfer-encoding"),
        arguments("TE chunked twice", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n")
            + "0\r\n\r\n", 400, "duplicate-transfer-encoding"),
        arguments("TE in HTTP/1.0", "POST / HTTP/1.0\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400, "invalid-transfer-encoding"),
        arguments("TE with space before colon", post("Transfer-Encoding : chunked\r\n") + "0\r\n\r\n",
            400, "invalid-header-name"),
        arguments("TE with vertical tab", post("Transfer-Encoding:\u000bchunked\r\n") + "0\r\n\r\n",
            400, "malformed-header"),
        arguments("TE folded onto next line", post("Transfer-Encoding:\r\n chunked\r\n") + "0\r\n\r\n",
            400, "obsolete-line-folding"),
        arguments("folded header (space)", get("X-Folded: a\r\n b\r\n"), 400, "obsolete-line-folding"),
        arguments("folded header (tab)", get("X-Folded: a\r\n\tb\r\n"), 400, "obsolete-line-folding"),
        arguments("whitespace before first header", "GET / HTTP/1.1\r\n " + HOST + "\r\n",
            400, "invalid-header-name"),
        arguments("bare LF line endings", "GET / HTTP/1.1\n" + "Host: harp.test\n\n", 400, "bare-lf"),
        arguments("bare LF in one header", "GET / HTTP/1.1\r\nX-A: 1\nX-B: 2\r\n" + HOST + "\r\n",
            400, "bare-lf"),
        arguments("bare CR in header value", get("X-A: 1\rX-B: 2\r\n"), 400, "invalid-header-value"),
        arguments("bare CR in request line", "GET /\r HTTP/1.1\r\n" + HOST + "\r\n", 400, "invalid-request-line"),
        arguments("CR before CRLF of request line", "GET / HTTP/1.1\r\r\n" + HOST + "\r\n",
            400, "invalid-request-line"),
        arguments("NUL in header value", get("X-A: a\u0000b\r\n"), 400, "invalid-header-value"),
        arguments("NUL in request target", "GET /a\u0000b HTTP/1.1\r\n" + HOST + "\r\n",
            400, "invalid-request-line"),
        arguments("NUL before request line", "\u0000GET / HTTP/1.1\r\n" + HOST + "\r\n",
            400, "invalid-request-line"),
        arguments("tab between method and target", "GET\t/ HTTP/1.1\r\n" + HOST + "\r\n",
            400, "invalid-request-line"),
        arguments("two spaces after method", "GET  / HTTP/1.1\r\n" + HOST + "\r\n", 400, "invalid-request-line"),
        arguments("unsupported protocol version", "GET / HTTP/1.2\r\n" + HOST + "\r\n",
            505, "unsupported-http-version"),
        arguments("not a protocol version", "GET / FOO/1.1\r\n" + HOST + "\r\n", 400, "invalid-request-line"),
        arguments("words after the version", "GET / HTTP/1.1 x\r\n" + HOST + "\r\n", 400, "invalid-request-line"),
        arguments("space in header name", get("X Foo: 1\r\n"), 400, "invalid-header-name"),
        arguments("brace in header name", get("X{Foo}: 1\r\n"), 400, "invalid-header-name"),
        arguments("non-ASCII header name", get("X-F\u00f6o: 1\r\n"), 400, "invalid-header-name"),
        arguments("empty header name", get(": 1\r\n"), 400, "invalid-header-name"),
        arguments("header without colon", get("X-Foo 1\r\n"), 400, "malformed-header"),
        arguments("URI just over the limit", "GET /" + "a".repeat(MAX_URI) + " HTTP/1.1\r\n" + HOST + "\r\n",
            414, "uri-too-long"),
        arguments("request line far over the limit",
            "GET /" + "a".repeat(4 * MAX_URI) + " HTTP/1.1\r\n" + HOST + "\r\n", 414, "uri-too-long"),
        arguments("header section too large", get("X-Big: " + "b".repeat(3000) + "\r\n"),
            431, "header-section-too-large"),
        arguments("too many header fields", get("X-H: 1\r\n".repeat(20)), 431, "too-many-headers"),
        arguments("announced body over the limit", post("Content-Length: " + (MAX_BODY + 1) + "\r\n"),
            413, "body-too-large"));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("refusedHeads")
  void refusedHeadIsAnsweredClosedAndNeverForwarded(String name, String raw, int status, String reason)
      throws IOException {
    int connectionsBefore = upstream.connectionsAccepted();
    Outcome outcome = exchange(raw);

    assertRefused(outcome, status, reason);
    // Vert.x hands a request either to the request handler or to the invalid-request handler: the guard's answer
    // proves no exchange began, so nothing can reach the upstream later either.
    assertThat(exchanges).as("exchanges").isEmpty();
    assertThat(upstream.seen()).as("requests the upstream saw").isEmpty();
    assertThat(upstream.connectionsAccepted()).as("upstream connections").isEqualTo(connectionsBefore);
  }

  // ------------------------------------------------------------- refused in the body: the exchange had begun

  /**
   * A malformed first chunk size is refused before any body byte exists, so the upstream gets nothing (the request
   * head only goes upstream with the first body bytes). Once body bytes were decoded they may stream upstream
   * (streaming, not buffering, is the design), but the upstream never gets a complete request: it is reset.
   */
  static Stream<Arguments> refusedBodies() {
    String chunked = post("Transfer-Encoding: chunked\r\n");
    return Stream.of(
        arguments("chunk size not hex", chunked + "zz\r\nhello\r\n0\r\n\r\n", 400, "malformed-chunk", false),
        arguments("chunk size overflow", chunked + "fffffffffffffffff\r\nhello\r\n0\r\n\r\n",
            400, "malformed-chunk", false),
        arguments("chunk size with sign", chunked + "-5\r\nhello\r\n0\r\n\r\n", 400, "malformed-chunk", false),
        arguments("chunk size empty", chunked + "\r\nhello\r\n0\r\n\r\n", 400, "malformed-chunk", false),
        arguments("chunk size with bare LF", chunked + "5\nhello\r\n0\r\n\r\n", 400, "malformed-chunk", false),
        arguments("chunk data not followed by CRLF", chunked + "5\r\nhelloXX0\r\n\r\n",
            400, "malformed-chunk", true),
        arguments("streamed body over the limit", chunked
            + ("200\r\n" + "x".repeat(512) + "\r\n").repeat(3) + "0\r\n\r\n", 413, "body-too-large", true));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("refusedBodies")
  void refusedBodyIsAnsweredClosedAndNeverCompletedUpstream(String name, String raw, int status, String reason,
                                                             boolean bodyBytesDecoded) throws IOException {
    Outcome outcome = exchange(raw);

    assertRefused(outcome, status, reason);
    Await.until("the refused exchange completes", Duration.ofSeconds(5),
        () -> exchanges.stream().anyMatch(e -> e.status() == status));
    // A request sent afterwards is forwarded: anything the refused one caused upstream would have come first.
    try (RawConnection c = RawConnection.open(port)) {
      assertThat(c.send(get("X-Probe: after\r\n")).readResponse().status()).isEqualTo(200);
    }
    assertThat(completeAtUpstream).containsExactly("after");
    if (!bodyBytesDecoded) {
      assertThat(upstream.seen()).extracting(s -> s.headers().get("x-probe")).containsExactly("after");
    }
  }

  // ------------------------------------------------------------------------------------ slow header section

  @Test
  void dribbledHeaderSectionIsCutOffWith408() throws Exception {
    byte[] head = get("X-Slow: " + "s".repeat(40) + "\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try (RawConnection c = RawConnection.open(port)) {
      Thread dribbler = new Thread(() -> {
        try {
          for (byte b : head) {
            c.send(new byte[] {b});
            Thread.sleep(100); // the client under test is slow on purpose
          }
        } catch (IOException | InterruptedException e) {
          // the proxy hung up, as it should
        }
      }, "dribbler");
      dribbler.setDaemon(true);
      long start = System.nanoTime();
      dribbler.start();
      Response response = c.readResponse();
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;

      assertThat(response.status()).isEqualTo(408);
      assertThat(elapsedMs).as("cut off after headerReadTimeout (1s)").isBetween(950L, 3_000L);
      assertThat(c.ending()).isIn(Ending.CLOSED, Ending.RESET);
      dribbler.interrupt();
    }
    Await.until("rejection reported", Duration.ofSeconds(5), () -> rejections.contains("header-read-timeout:408"));
    assertThat(upstream.seen()).isEmpty();
    assertThat(exchanges).isEmpty();
  }

  @Test
  void idleTimeBetweenKeepAliveRequestsIsNotHeaderTime() throws Exception {
    try (RawConnection c = RawConnection.open(port)) {
      Thread.sleep(1_300); // idle before the first byte: longer than headerReadTimeout, shorter than the idle timeout
      assertThat(c.send(get("")).readResponse().status()).isEqualTo(200);
      Thread.sleep(1_300); // idle between requests on a kept-alive connection
      assertThat(c.send(get("")).readResponse().status()).isEqualTo(200);
    }
    assertThat(rejections).isEmpty();
  }

  @Test
  void slowButTimelyHeaderSectionPasses() throws Exception {
    String request = get("");
    try (RawConnection c = RawConnection.open(port)) {
      c.send(request.substring(0, 10));
      Thread.sleep(400); // a slow client still within headerReadTimeout
      c.send(request.substring(10));
      assertThat(c.readResponse().status()).isEqualTo(200);
    }
    assertThat(rejections).isEmpty();
  }

  // ----------------------------------------------------------------------------------------- positive controls

  @Test
  void validChunkedPostIsForwarded() throws IOException {
    try (RawConnection c = RawConnection.open(port)) {
      Response r = c.send(post("Transfer-Encoding: Chunked\r\n") + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n")
          .readResponse();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("ok 11");
    }
    assertThat(upstream.seen()).hasSize(1);
    assertThat(rejections).isEmpty();
  }

  @Test
  void bodiesUpToTheLimitPass() throws IOException {
    try (RawConnection c = RawConnection.open(port)) {
      String chunk = Integer.toHexString(MAX_BODY) + "\r\n" + "x".repeat(MAX_BODY) + "\r\n0\r\n\r\n";
      assertThat(c.send(post("Transfer-Encoding: chunked\r\n") + chunk).readResponse().body())
          .isEqualTo("ok " + MAX_BODY);
      assertThat(c.send(post("Content-Length: " + MAX_BODY + "\r\n") + "y".repeat(MAX_BODY)).readResponse().body())
          .isEqualTo("ok " + MAX_BODY);
    }
    assertThat(rejections).isEmpty();
  }

  @Test
  void keepAlivePairAndPipelinedPairPass() throws IOException {
    try (RawConnection c = RawConnection.open(port)) {
      assertThat(c.send(get("X-N: 1\r\n")).readResponse().status()).isEqualTo(200);
      assertThat(c.send(post("Content-Length: 5\r\n") + "hello").readResponse().body()).isEqualTo("ok 5");
      c.send(get("X-N: 3\r\n") + "\r\n" + get("X-N: 4\r\n")); // a stray CRLF between requests is allowed
      assertThat(c.readResponse().status()).isEqualTo(200);
      assertThat(c.readResponse().status()).isEqualTo(200);
      assertThat(c.send(get("X-N: 5\r\n")).readResponse().status()).as("still open").isEqualTo(200);
    }
    assertThat(upstream.seen()).hasSize(5);
    assertThat(rejections).isEmpty();
  }

  @Test
  void webSocketUpgradeStillTunnels() {
    var client = upstream.vertx().createWebSocketClient();
    try {
      String echoed = Await.result(client.connect(port, "127.0.0.1", "/ws").compose(ws -> {
        io.vertx.core.Promise<String> reply = io.vertx.core.Promise.promise();
        ws.handler(frame -> reply.tryComplete(frame.toString())); // the upstream echoes data frames
        return ws.writeTextMessage("through the guard").compose(v -> reply.future());
      }), Duration.ofSeconds(10));
      assertThat(echoed).isEqualTo("through the guard");
    } finally {
      client.close();
    }
    assertThat(rejections).isEmpty();
  }

  @Test
  void everyConnectionOnEveryEventLoopIsGuardedFromItsFirstByte() throws IOException {
    List<RawConnection> connections = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        connections.add(RawConnection.open(port));
      }
      for (RawConnection c : connections) {
        c.send(post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n");
      }
      for (RawConnection c : connections) {
        assertThat(c.readResponse().status()).isEqualTo(400);
      }
    } finally {
      for (RawConnection c : connections) {
        c.close();
      }
    }
    assertThat(upstream.seen()).isEmpty();
  }

  @Test
  void smuggledSecondRequestIsRefusedAfterTheFirstIsAnswered() throws IOException {
    try (RawConnection c = RawConnection.open(port)) {
      c.send(get("X-N: 1\r\n") + post("Content-Length: 3\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n");
      assertThat(c.readResponse().status()).isEqualTo(200);
      assertThat(c.readResponse().status()).isEqualTo(400);
      assertThat(c.ending()).isEqualTo(Ending.CLOSED);
    }
    assertThat(upstream.seen()).extracting(s -> s.headers().get("x-n")).containsExactly("1");
  }

  @Test
  void rejectionIsLoggedWithProxyReasonAndRemoteAddress() throws IOException {
    Logger logger = (Logger) LoggerFactory.getLogger("harp.guard");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      exchange(get("X-Folded: a\r\n b\r\n"));
      Await.until("a guard log line", Duration.ofSeconds(5), () -> !appender.list.isEmpty());
      Map<String, Object> kv = appender.list.get(0).getKeyValuePairs().stream()
          .collect(Collectors.toMap(p -> p.key, p -> p.value));
      assertThat(kv).containsEntry("proxy", "api").containsEntry("reason", "obsolete-line-folding")
          .containsEntry("status", 400).containsKey("requestId");
      assertThat((String) kv.get("remote")).startsWith("127.0.0.1:");
    } finally {
      logger.detachAppender(appender);
    }
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private record Outcome(Response response, Ending ending) {
  }

  private static Outcome exchange(String raw) throws IOException {
    try (RawConnection c = RawConnection.open(port)) {
      c.send(raw);
      Response response = c.readResponse();
      return new Outcome(response, c.ending());
    }
  }

  private static void assertRefused(Outcome outcome, int status, String reason) {
    assertThat(outcome.response().status()).as("status of " + outcome.response()).isEqualTo(status);
    assertThat(outcome.response().headers()).containsEntry("connection", "close");
    assertThat(outcome.response().headers().get("content-type")).isEqualTo("application/problem+json");
    assertThat(outcome.ending()).as("connection after the answer").isEqualTo(Ending.CLOSED);
    Await.until("rejection " + reason + " reported", Duration.ofSeconds(5),
        () -> rejections.contains(reason + ":" + status));
    assertThat(rejections).containsExactly(reason + ":" + status);
  }

  private static String get(String headers) {
    return "GET /hostile HTTP/1.1\r\n" + HOST + headers + "\r\n";
  }

  private static String post(String headers) {
    return "POST /hostile HTTP/1.1\r\n" + HOST + headers + "\r\n";
  }
}
