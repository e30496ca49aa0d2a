package dev.harp.engine;

import dev.harp.testkit.Await;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Bodies stream both ways: nothing waits for a whole body, and memory stays flat for a 1 GiB transfer. */
class StreamingTest extends ProxyTestBase {

  private static final long ONE_GIB = 1L << 30;
  private final Vertx client = Vertx.vertx();

  @AfterEach
  void closeClient() {
    Await.result(client.close());
  }

  @Test
  void serverSentEventsArriveOneByOne() throws Exception {
    CompletableFuture<Void> clientSawFirst = new CompletableFuture<>();
    TestUpstream sse = upstream().handler(req -> {
      req.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
      req.response().write("data: one\n\n");
      // The second event is only sent once the client, reading through HARP, has seen the first: a proxy that
      // buffered would deadlock here and the test would time out.
      clientSawFirst.thenRun(() -> sse().vertx().runOnContext(v -> req.response().end("data: two\n\n")));
    });
    this.sseUpstream = sse;
    startProxy(sse.url(), "");
    long start = System.nanoTime();
    HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(URI.create(proxyUrl("/events")))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(r.body()))) {
      assertThat(reader.readLine()).isEqualTo("data: one");
      long firstEventMs = (System.nanoTime() - start) / 1_000_000;
      clientSawFirst.complete(null);
      assertThat(reader.readLine()).isEmpty();
      assertThat(reader.readLine()).isEqualTo("data: two");
      assertThat(firstEventMs).as("time to first event through HARP").isLessThan(2_000);
    }
    assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
  }

  private TestUpstream sseUpstream;

  private TestUpstream sse() {
    return sseUpstream;
  }

  @Test
  void oneGibUploadStreamsWithFlatMemory() throws Exception {
    AtomicLong received = new AtomicLong();
    TestUpstream sink = upstream().handler(req -> {
      req.handler(b -> received.addAndGet(b.length()));
      req.endHandler(v -> req.response().end(Long.toString(received.get())));
    });
    startProxy(sink.url(), "");
    HeapWatch heap = HeapWatch.start();
    HttpClient c = client.createHttpClient();
    Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
    String answer = Await.result(c.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(proxyPort).setURI("/upload")).compose(req -> {
          req.putHeader("Content-Length", Long.toString(ONE_GIB));
          long[] sent = {0};
          Runnable[] pump = new Runnable[1];
          pump[0] = () -> {
            while (sent[0] < ONE_GIB && !req.writeQueueFull()) {
              req.write(chunk);
              sent[0] += chunk.length();
            }
            if (sent[0] < ONE_GIB) {
              req.drainHandler(v -> pump[0].run());
            } else {
              req.end();
            }
          };
          pump[0].run();
          return req.response().compose(HttpClientResponse::body);
        }), Duration.ofSeconds(120)).toString();
    // Closed only now, so it stays reachable while the body streams: Vert.x 5 shuts down an unreachable client.
    Await.result(c.close());
    assertThat(Long.parseLong(answer)).isEqualTo(ONE_GIB);
    // Half the body: buffering would need all of it. 400 MiB was exceeded by 25 MB on a loaded CI-like run.
    assertThat(heap.stop()).as("peak memory growth during a 1 GiB upload").isLessThan(512L << 20);
  }

  @Test
  void oneGibDownloadStreamsWithFlatMemory() throws Exception {
    Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
    TestUpstream source = upstream().handler(req -> {
      var resp = req.response().putHeader("Content-Length", Long.toString(ONE_GIB));
      long[] sent = {0};
      Runnable[] pump = new Runnable[1];
      pump[0] = () -> {
        while (sent[0] < ONE_GIB && !resp.writeQueueFull()) {
          resp.write(chunk);
          sent[0] += chunk.length();
        }
        if (sent[0] < ONE_GIB) {
          resp.drainHandler(v -> pump[0].run());
        } else {
          resp.end();
        }
      };
      pump[0].run();
    });
    startProxy(source.url(), "");
    HeapWatch heap = HeapWatch.start();
    AtomicLong got = new AtomicLong();
    HttpClient c = client.createHttpClient();
    Await.result(c.request(new RequestOptions().setHost("127.0.0.1").setPort(proxyPort).setURI("/download"))
        .compose(req -> req.send().compose(resp -> {
          resp.handler(b -> got.addAndGet(b.length()));
          return resp.end();
        })), Duration.ofSeconds(120));
    Await.result(c.close()); // reachable until here (see the upload)
    assertThat(got.get()).isEqualTo(ONE_GIB);
    // Half the body: buffering would need all of it. 400 MiB was exceeded by 25 MB on a loaded CI-like run.
    assertThat(heap.stop()).as("peak memory growth during a 1 GiB download").isLessThan(512L << 20);
  }

  /**
   * Samples used heap plus direct memory (Netty's pooled buffers live there, so a proxy buffering a body would show
   * up in it, not in the heap) every 20 ms and reports the peak growth over the starting point.
   */
  static final class HeapWatch {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final long baseline;
    private final AtomicLong peak = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    private HeapWatch() {
      System.gc();
      baseline = used();
      sampler = new Thread(() -> {
        while (running) {
          peak.accumulateAndGet(used(), Math::max);
          try {
            TimeUnit.MILLISECONDS.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-watch");
      sampler.setDaemon(true);
      sampler.start();
    }

    private long used() {
      long direct = 0;
      for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
        direct += pool.getMemoryUsed();
      }
      return memory.getHeapMemoryUsage().getUsed() + direct + Math.max(0, PlatformDependent.usedDirectMemory());
    }

    static HeapWatch start() {
      return new HeapWatch();
    }

    long stop() throws InterruptedException {
      running = false;
      sampler.join();
      long growth = peak.get() - baseline;
      System.out.println("memory watch: peak growth " + (growth >> 20) + " MiB (heap + direct)");
      return growth;
    }
  }
}
