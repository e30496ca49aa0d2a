package dev.harp.observe;

import dev.harp.node.HarpNode;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.Ports;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Traffic events and per-second stats of one real node; each test uses its own proxy so counts do not mix. */
class ObserveNodeTest {

  private static TestUpstream upstream;
  private static HarpNode node;
  private static int eventsPort;
  private static int statsPort;
  private static int deadPort;

  @BeforeAll
  static void start() {
    upstream = TestUpstream.start().handler(req -> {
      if (req.path().startsWith("/fail")) {
        req.response().setStatusCode(503).end("down");
      } else {
        req.response().end("ok");
      }
    });
    eventsPort = Ports.free();
    statsPort = Ports.free();
    deadPort = Ports.free();
    node = HarpTestCluster.single("""
        node: {name: obs-node, eventLoops: 2}
        admin: {bind: 127.0.0.1, port: %d}
        proxies:
          - name: events
            port: %d
            upstream: {endpoints: [%s]}
          - name: stats
            port: %d
            upstream: {endpoints: [%s]}
          - name: dead
            port: %d
            upstream: {endpoints: ["http://127.0.0.1:%d"]}
        """.formatted(Ports.free(), eventsPort, upstream.url(), statsPort, upstream.url(), deadPort, Ports.free()));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      Await.result(node.stop());
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void aCompletedExchangeBecomesATrafficEvent() throws InterruptedException {
    BlockingQueue<JsonObject> batches = new LinkedBlockingQueue<>();
    MessageConsumer<JsonObject> consumer = node.vertx().eventBus()
        .consumer(EventAddresses.TRAFFIC, m -> batches.add(m.body()));
    Await.result(consumer.completion());
    try {
      long before = System.currentTimeMillis();
      long startNanos = System.nanoTime();
      HttpResponse<String> response = Http.get("http://127.0.0.1:" + eventsPort + "/hello?x=1",
          "X-Request-Id", "obs-event-1");
      // The exchange happened within the client's round trip; nanoTime, since two whole-millisecond clock reads can
      // span up to 1 ms less than the time between them (a CI run saw 6.069 ms against a 5 ms difference + 1).
      double clientMs = (System.nanoTime() - startNanos) / 1e6;
      long after = System.currentTimeMillis();
      assertThat(response.statusCode()).isEqualTo(200);

      JsonObject event = awaitEvent(batches, "obs-event-1");
      assertThat(event.getString("node")).isEqualTo("obs-node");
      assertThat(event.getString("proxy")).isEqualTo("events");
      assertThat(event.getString("method")).isEqualTo("GET");
      assertThat(event.getString("path")).isEqualTo("/hello");
      assertThat(event.getInteger("status")).isEqualTo(200);
      assertThat(event.getLong("bytesIn")).isZero();
      assertThat(event.getLong("bytesOut")).isEqualTo(2);
      assertThat(event.getString("upstream")).isEqualTo(upstream.url());
      assertThat(event.getLong("ts")).isBetween(before, after);
      assertThat(event.getDouble("durationMs")).isPositive().isLessThanOrEqualTo(clientMs);
      assertThat(event.containsKey("failure")).isFalse();
    } finally {
      Await.result(consumer.unregister());
    }
  }

  @Test
  void anExchangeHarpFailedCarriesTheFailureSlug() throws InterruptedException {
    BlockingQueue<JsonObject> batches = new LinkedBlockingQueue<>();
    MessageConsumer<JsonObject> consumer = node.vertx().eventBus()
        .consumer(EventAddresses.TRAFFIC, m -> batches.add(m.body()));
    Await.result(consumer.completion());
    try {
      HttpResponse<String> response = Http.get("http://127.0.0.1:" + deadPort + "/nobody-home",
          "X-Request-Id", "obs-dead-1");
      assertThat(response.statusCode()).isEqualTo(502);
      JsonObject event = awaitEvent(batches, "obs-dead-1");
      assertThat(event.getString("proxy")).isEqualTo("dead");
      assertThat(event.getInteger("status")).isEqualTo(502);
      assertThat(event.getString("failure")).isEqualTo("upstream-connect-failed");
    } finally {
      Await.result(consumer.unregister());
    }
  }

  @Test
  void statsCountRequestsErrorsAndBytesPerSecond() throws InterruptedException {
    BlockingQueue<JsonObject> stats = new LinkedBlockingQueue<>();
    MessageConsumer<JsonObject> consumer = node.vertx().eventBus()
        .consumer(EventAddresses.STATS, m -> stats.add(m.body()));
    Await.result(consumer.completion());
    try {
      for (int i = 0; i < 3; i++) {
        assertThat(Http.get("http://127.0.0.1:" + statsPort + "/ok").statusCode()).isEqualTo(200);
      }
      for (int i = 0; i < 2; i++) {
        assertThat(Http.get("http://127.0.0.1:" + statsPort + "/fail").statusCode()).isEqualTo(503);
      }
      // Requests may straddle two windows: add windows up until all five are counted.
      long count = 0;
      long errors = 0;
      long bytesOut = 0;
      double p99 = 0;
      while (count < 5) {
        JsonObject s = stats.poll(10, TimeUnit.SECONDS);
        assertThat(s).as("a stats message within 10 s").isNotNull();
        assertThat(s.getString("node")).isEqualTo("obs-node");
        assertThat(s.getString("proxy")).isIn("events", "stats", "dead");
        if (s.getString("proxy").equals("stats")) {
          count += s.getLong("count");
          errors += s.getLong("errors");
          bytesOut += s.getLong("bytesOut");
          p99 = Math.max(p99, s.getDouble("p99Ms"));
          assertThat(s.getDouble("p50Ms")).isLessThanOrEqualTo(s.getDouble("p99Ms"));
          assertThat(s.getLong("windowMs")).isBetween(500L, 5_000L);
          JsonObject events = s.getJsonObject("events");
          assertThat(events.getLong("published") + events.getLong("sampledOut")).isEqualTo(s.getLong("count"));
        }
      }
      assertThat(count).isEqualTo(5);
      assertThat(errors).isEqualTo(2);
      assertThat(bytesOut).isEqualTo(3 * 2 + 2 * 4);
      assertThat(p99).isPositive();
      ProxyStats latest = node.observers().latestStats().get("stats");
      assertThat(latest).isNotNull();
      assertThat(latest.node()).isEqualTo("obs-node");
    } finally {
      Await.result(consumer.unregister());
    }
  }

  static JsonObject awaitEvent(BlockingQueue<JsonObject> batches, String requestId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject batch = batches.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (batch == null) {
        break;
      }
      JsonArray events = batch.getJsonArray("events");
      assertThat(events).isNotEmpty();
      for (Object o : events) {
        JsonObject event = (JsonObject) o;
        assertThat(event.getString("node")).isEqualTo(batch.getString("node"));
        if (requestId.equals(event.getString("requestId"))) {
          return event;
        }
      }
    }
    throw new AssertionError("no traffic event for request " + requestId + " within 10 s");
  }

}
