package dev.harp.observe;

import dev.harp.node.HarpNode;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.Ports;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Past {@code events.maxPerSecond} traffic events are sampled, and every exchange is either published or counted. */
class TrafficSamplingTest {

  private static final int REQUESTS = 40;
  private static final int PER_SECOND = 5;

  @Test
  void overTheBudgetEventsAreSampledAndCounted() throws InterruptedException {
    int proxyPort = Ports.free();
    int adminPort = Ports.free();
    try (TestUpstream upstream = TestUpstream.start()) {
      HarpNode node = HarpTestCluster.single("""
          node: {name: sampling-node, eventLoops: 2}
          admin: {bind: 127.0.0.1, port: %d, openMetrics: true}
          events: {maxPerSecond: %d}
          proxies:
            - name: api
              port: %d
              upstream: {endpoints: [%s]}
          """.formatted(adminPort, PER_SECOND, proxyPort, upstream.url()));
      try {
        AtomicInteger eventsReceived = new AtomicInteger();
        BlockingQueue<JsonObject> stats = new LinkedBlockingQueue<>();
        MessageConsumer<JsonObject> traffic = node.vertx().eventBus().consumer(EventAddresses.TRAFFIC,
            m -> eventsReceived.addAndGet(m.body().getJsonArray("events").size()));
        MessageConsumer<JsonObject> statsConsumer = node.vertx().eventBus().consumer(EventAddresses.STATS,
            m -> stats.add(m.body()));
        Await.result(traffic.completion());
        Await.result(statsConsumer.completion());

        long begin = System.nanoTime();
        for (int i = 0; i < REQUESTS; i++) {
          assertThat(Http.get("http://127.0.0.1:" + proxyPort + "/r" + i).statusCode()).isEqualTo(200);
        }
        double seconds = (System.nanoTime() - begin) / 1e9;

        long count = 0;
        long published = 0;
        long sampledOut = 0;
        while (count < REQUESTS) {
          JsonObject s = stats.poll(10, TimeUnit.SECONDS);
          assertThat(s).as("a stats message within 10 s").isNotNull();
          count += s.getLong("count");
          published += s.getJsonObject("events").getLong("published");
          sampledOut += s.getJsonObject("events").getLong("sampledOut");
          double rate = s.getJsonObject("events").getDouble("sampleRate");
          assertThat(rate).isBetween(0.0, 1.0);
        }
        assertThat(count).isEqualTo(REQUESTS);
        assertThat(published + sampledOut).isEqualTo(REQUESTS);
        assertThat(published).as("published in %.2f s at %d/s", seconds, PER_SECOND)
            .isBetween(1L, (long) Math.ceil(1 + seconds * PER_SECOND));
        assertThat(sampledOut).isPositive();

        long expected = published;
        Await.until("all " + expected + " published events arrive", java.time.Duration.ofSeconds(10),
            () -> eventsReceived.get() >= expected);
        assertThat(eventsReceived.get()).isEqualTo(expected);

        String metrics = Http.get("http://127.0.0.1:" + adminPort + "/metrics").body();
        assertThat(metrics)
            .contains("harp_traffic_events_published_total{proxy=\"api\"} " + published + ".0")
            .contains("harp_traffic_events_sampled_out_total{proxy=\"api\"} " + sampledOut + ".0");
      } finally {
        Await.result(node.stop());
      }
    }
  }
}
