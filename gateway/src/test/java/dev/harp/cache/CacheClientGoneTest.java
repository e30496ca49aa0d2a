package dev.harp.cache;

import com.hazelcast.map.IMap;
import com.hazelcast.map.MapInterceptor;
import dev.harp.node.HarpNode;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.Ports;
import dev.harp.testkit.TestUpstream;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that leaves while the cache looks its key up leaves no coalescing flight behind. Before the fix the
 * lookup's continuation made the departed exchange the leader of a flight, then forwarded nothing (the exchange was
 * over), so the flight never landed: every later miss for that key waited the whole {@code coalesceTimeout} for it.
 */
class CacheClientGoneTest {

  /** Holds cache-map gets on Hazelcast's partition thread (not an event loop) until the test lets them go. */
  static final class HoldGets implements MapInterceptor {
    static final CountDownLatch ENTERED = new CountDownLatch(1);
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    @Override
    public Object interceptGet(Object value) {
      ENTERED.countDown();
      try {
        RELEASE.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return null;
    }

    @Override
    public void afterGet(Object value) {
    }

    @Override
    public Object interceptPut(Object oldValue, Object newValue) {
      return null;
    }

    @Override
    public void afterPut(Object value) {
    }

    @Override
    public Object interceptRemove(Object removedValue) {
      return null;
    }

    @Override
    public void afterRemove(Object value) {
    }
  }

  private TestUpstream upstream;
  private HarpNode node;

  @AfterEach
  void stop() {
    HoldGets.RELEASE.countDown();
    if (node != null) {
      Await.result(node.stop());
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void aClientThatLeavesDuringTheLookupLeavesNoFlightBehind() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    upstream = TestUpstream.start().handler(req -> {
      calls.incrementAndGet();
      req.response().putHeader("Cache-Control", "max-age=60").end("fresh");
    });
    int port = Ports.free();
    node = HarpTestCluster.single("""
        node: {name: gone, drainTimeout: 2s, eventLoops: 1}
        admin: {bind: 127.0.0.1, port: %d}
        proxies:
          - {name: api, bind: 127.0.0.1, port: %d, upstream: {endpoints: [%s]}, cache: {coalesceTimeout: 60s}}
        """.formatted(Ports.free(), port, upstream.url()));
    IMap<Object, Object> map = node.hazelcast().getMap(Purges.mapName("api"));
    map.addInterceptor(new HoldGets());

    try (Socket leaving = new Socket("127.0.0.1", port)) {
      OutputStream out = leaving.getOutputStream();
      out.write("GET /k HTTP/1.1\r\nHost: api\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      assertThat(HoldGets.ENTERED.await(20, TimeUnit.SECONDS)).as("the lookup started").isTrue();
    }
    Timer completed = node.metrics().registry().find("harp_request_duration").tag("proxy", "api").timer();
    Await.until("the departed client's exchange completed", Duration.ofSeconds(20),
        () -> completed != null && completed.count() == 1);
    HoldGets.RELEASE.countDown(); // the lookup answers only now, for an exchange that is over

    // 20 s against a 60 s flight timeout: a flight left behind would make this request wait for it.
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> next = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/k"))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(next.body()).isEqualTo("fresh");
    assertThat(next.headers().firstValue("cache-status").orElse("")).doesNotContain("collapsed");
    assertThat(calls.get()).as("only the second client's request went upstream").isEqualTo(1);
  }
}
