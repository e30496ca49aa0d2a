package dev.harp.engine;

import dev.harp.spi.ConfigBlock;
import dev.harp.spi.Exchange;
import dev.harp.spi.Filter;
import dev.harp.spi.FilterContext;
import dev.harp.spi.FilterFactory;
import dev.harp.spi.Next;
import dev.harp.spi.Placement;
import dev.harp.spi.ResponseHead;
import dev.harp.testkit.ConfigFileNode;
import dev.harp.testkit.ServicePlugin;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SPI's body phases on a real node: a filter transforms request and response bodies as they stream (back-pressure
 * kept, nothing buffered whole), Content-Length is dropped only where a filter may change a body, and a proxy without
 * body filters (or with an observing one, capture) relays lengths unchanged.
 */
class BodyPhaseTest {

  /** Upper-cases ASCII letters of the bodies it is configured for; may append a tail, or keep lengths. */
  public static final class UpperCase implements FilterFactory<ConfigBlock> {
    @Override
    public String name() {
      return "upper-case";
    }

    @Override
    public Placement placement() {
      return Placement.after("ban", "capture");
    }

    @Override
    public ConfigBlock read(ConfigBlock block) {
      block.allowOnly(Set.of("request", "response", "tail", "keepLength"));
      return block;
    }

    @Override
    public Filter create(ConfigBlock config, FilterContext context) {
      boolean request = config.bool("request", false);
      boolean response = config.bool("response", false);
      String tail = config.string("tail", null);
      boolean keepLength = config.bool("keepLength", false);
      return new Filter() {
        @Override
        public Buffer onRequestChunk(Exchange exchange, Buffer chunk) {
          return request ? upper(chunk) : chunk;
        }

        @Override
        public Buffer onRequestEnd(Exchange exchange) {
          return request && tail != null ? Buffer.buffer(tail) : null;
        }

        @Override
        public void onResponseHead(Exchange exchange, ResponseHead head) {
          String length = head.upstreamHeaders().get("content-length");
          if (keepLength && length != null) {
            head.headers().set("Content-Length", length); // upper-casing keeps the length
          }
        }

        @Override
        public Buffer onResponseChunk(Exchange exchange, Buffer chunk) {
          return response ? upper(chunk) : chunk;
        }

        @Override
        public Buffer onResponseEnd(Exchange exchange) {
          return response && tail != null ? Buffer.buffer(tail) : null;
        }
      };
    }

    static Buffer upper(Buffer chunk) {
      byte[] b = chunk.getBytes();
      for (int i = 0; i < b.length; i++) {
        if (b[i] >= 'a' && b[i] <= 'z') {
          b[i] -= 32;
        }
      }
      return Buffer.buffer(b);
    }
  }

  /** Answers every request itself, inside upper-case: its answer passes upper-case's response-body phase. */
  public static final class Answers implements FilterFactory<Object> {
    @Override
    public String name() {
      return "answers";
    }

    @Override
    public Placement placement() {
      return Placement.after("upper-case");
    }

    @Override
    public Object read(ConfigBlock block) {
      block.allowOnly(Set.of());
      return "";
    }

    @Override
    public Filter create(Object config, FilterContext context) {
      return new Filter() {
        @Override
        public void onRequest(Exchange exchange, Next next) {
          exchange.respond(200, MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/plain"),
              Buffer.buffer("a local answer"));
        }
      };
    }
  }

  @TempDir
  Path dir;
  private final ConfigFileNode harp = new ConfigFileNode();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @AfterEach
  void stop() {
    harp.close();
  }

  private void start(String extra) throws Exception {
    ServicePlugin.install(dir.resolve("plugins"), UpperCase.class, Answers.class);
    harp.start(harp.writeConfig(dir, extra));
  }

  @Test
  void aLargeResponseIsTransformedAsItStreamsToASlowClient() throws Exception {
    long total = 64L << 20;
    AtomicLong sent = new AtomicLong();
    AtomicBoolean upstreamEnded = new AtomicBoolean();
    Buffer chunk = Buffer.buffer("abcdefghijklmnopqrstuvwxyz012345".repeat(2048)); // 64 KiB
    harp.upstream.handler(req -> {
      HttpServerResponse resp = req.response().putHeader("Content-Length", Long.toString(total))
          .putHeader("Content-Type", "text/plain");
      Runnable[] pump = new Runnable[1];
      pump[0] = () -> {
        while (sent.get() < total && !resp.writeQueueFull()) {
          resp.write(chunk);
          sent.addAndGet(chunk.length());
        }
        if (sent.get() < total) {
          resp.drainHandler(v -> pump[0].run());
        } else {
          resp.end().onSuccess(v -> upstreamEnded.set(true));
        }
      };
      pump[0].run();
    });
    start("upper-case: {response: true}");

    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(harp.proxy("/big"))
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.headers().firstValue("content-length")).as("the length is unknown after a transform").isEmpty();
    assertThat(r.headers().firstValue("transfer-encoding")).hasValue("chunked");
    byte[] buf = new byte[64 * 1024];
    long read = 0;
    try (InputStream body = r.body()) {
      // The first MiB, transformed, arrives while the upstream is still sending: nothing waits for the whole body.
      read = readUpper(body, buf, 1 << 20);
      assertThat(upstreamEnded).as("upstream finished before the client read its first MiB").isFalse();
      // The client stops reading: back-pressure must stop the upstream long before the end.
      long stalledAt = awaitStall(sent);
      System.out.println("body phase: upstream stalled at " + (stalledAt >> 20) + " MiB of 64 with 1 MiB read");
      assertThat(stalledAt).as("bytes the upstream could send to a client that stopped reading")
          .isLessThan(total / 2);
      assertThat(upstreamEnded).isFalse();
      read += readUpper(body, buf, Long.MAX_VALUE);
    }
    assertThat(read).isEqualTo(total);
    assertThat(upstreamEnded).isTrue();
  }

  /** Reads up to {@code limit} bytes (or to the end), asserting each is no lower-case letter; returns the count. */
  private static long readUpper(InputStream in, byte[] buf, long limit) throws Exception {
    long n = 0;
    while (n < limit) {
      int got = in.read(buf, 0, (int) Math.min(buf.length, limit - n));
      if (got < 0) {
        break;
      }
      for (int i = 0; i < got; i++) {
        if (buf[i] >= 'a' && buf[i] <= 'z') {
          throw new AssertionError("lower-case byte at " + (n + i));
        }
      }
      n += got;
    }
    return n;
  }

  /** Polls until {@code sent} has not grown for 500 ms (at most 20 s); returns where it stopped. */
  private static long awaitStall(AtomicLong sent) throws InterruptedException {
    long last = -1;
    long quietSince = System.nanoTime();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      long now = sent.get();
      if (now != last) {
        last = now;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince > 500_000_000L) {
        return now;
      }
      Thread.sleep(20);
    }
    return sent.get();
  }

  @Test
  void theUpstreamSeesTheTransformedRequestBodyChunked() throws Exception {
    AtomicReference<String> body = new AtomicReference<>();
    AtomicReference<MultiMap> headers = new AtomicReference<>();
    harp.upstream.handler(req -> req.body().onSuccess(b -> {
      headers.set(req.headers());
      body.set(b.toString());
      req.response().end("ok");
    }));
    start("upper-case: {request: true, tail: '!'}");

    HttpResponse<String> r = http.send(HttpRequest.newBuilder(harp.proxy("/in"))
        .POST(HttpRequest.BodyPublishers.ofString("hello, body phases")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(body.get()).isEqualTo("HELLO, BODY PHASES!");
    assertThat(headers.get().get("content-length")).as("the client's length no longer holds").isNull();
    assertThat(headers.get().get("transfer-encoding")).isEqualTo("chunked");
  }

  @Test
  void aTailIsAppendedToTheResponse() throws Exception {
    harp.upstream.handler(req -> req.response().end("plain text"));
    start("upper-case: {response: true, tail: ' (shouted)'}");
    HttpResponse<String> r = send("/t");
    assertThat(r.body()).isEqualTo("PLAIN TEXT (shouted)");
    assertThat(r.headers().firstValue("content-length")).isEmpty();
    assertThat(r.headers().firstValue("transfer-encoding")).hasValue("chunked");
  }

  @Test
  void aFilterThatKnowsTheLengthPutsItBack() throws Exception {
    harp.upstream.handler(req -> req.response().end("plain text"));
    start("upper-case: {response: true, keepLength: true}");
    HttpResponse<String> r = send("/t");
    assertThat(r.body()).isEqualTo("PLAIN TEXT");
    assertThat(r.headers().firstValue("content-length")).as("put back by the response-head phase").hasValue("10");
    assertThat(r.headers().firstValue("transfer-encoding")).isEmpty();
  }

  private HttpResponse<String> send(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(harp.proxy(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anHttp10ClientGetsATransformedBodyEndedByTheClose() throws Exception {
    harp.upstream.handler(req -> req.response().end("for an old client"));
    start("upper-case: {response: true}");
    try (Socket s = new Socket("127.0.0.1", harp.proxyPort)) {
      s.setSoTimeout(10_000); // a connection left open would fail the read instead of hanging the test
      OutputStream out = s.getOutputStream();
      out.write("GET /old HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = readToClose(s.getInputStream());
      String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase();
      assertThat(head).startsWith("http/1.0 200").doesNotContain("content-length").doesNotContain("chunked");
      assertThat(answer.substring(answer.indexOf("\r\n\r\n") + 4)).isEqualTo("FOR AN OLD CLIENT");
    }
  }

  private static String readToClose(InputStream in) throws Exception {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        all.write(buf, 0, n);
      }
    } catch (java.net.SocketTimeoutException e) {
      throw new AssertionError("the connection stayed open after: " + all.toString(StandardCharsets.US_ASCII), e);
    }
    return all.toString(StandardCharsets.US_ASCII);
  }

  @Test
  void aLocalAnswerPassesTheResponseBodyPhaseWithItsNewLength() throws Exception {
    start("upper-case: {response: true, tail: '.'}\nanswers: {}");
    HttpResponse<String> r = send("/local");
    assertThat(r.body()).isEqualTo("A LOCAL ANSWER.");
    assertThat(r.headers().firstValue("content-length")).hasValue("15");
    assertThat(harp.upstream.seen()).isEmpty();
  }

  @Test
  void withoutBodyFiltersLengthsAreRelayedUnchanged() throws Exception {
    assertLengthsUnchanged("");
  }

  @Test
  void anObservingFilterLeavesLengthsUnchanged() throws Exception {
    assertLengthsUnchanged("capture: {bodyPreview: 1k}");
  }

  private void assertLengthsUnchanged(String extra) throws Exception {
    AtomicReference<MultiMap> headers = new AtomicReference<>();
    AtomicReference<String> body = new AtomicReference<>();
    harp.upstream.handler(req -> req.body().onSuccess(b -> {
      headers.set(req.headers());
      body.set(b.toString());
      req.response().putHeader("Content-Length", "11").end("hello world");
    }));
    start(extra);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(harp.proxy("/plain"))
        .POST(HttpRequest.BodyPublishers.ofString("twelve bytes")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).isEqualTo("hello world");
    assertThat(r.headers().firstValue("content-length")).hasValue("11");
    assertThat(r.headers().firstValue("transfer-encoding")).isEmpty();
    assertThat(body.get()).isEqualTo("twelve bytes");
    assertThat(headers.get().get("content-length")).as("upstream").isEqualTo("12");
    assertThat(headers.get().get("transfer-encoding")).as("upstream").isNull();
  }
}
