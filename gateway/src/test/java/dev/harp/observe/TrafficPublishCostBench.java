package dev.harp.observe;

import dev.harp.engine.CompletedExchange;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The measurements behind docs/events.md, not a regression test: run with {@code -Dharp.bench=true}.
 *
 * <ol>
 *   <li>Clustered publish, one message per event vs. batches of 100, to two remote subscribers on a 3-member
 *   cluster: process CPU per event (sender and receivers are in this JVM; both costs are real).</li>
 *   <li>The hot-path cost of {@link TrafficEvents#onComplete} when the budget refuses and when it admits.</li>
 * </ol>
 */
@EnabledIfSystemProperty(named = "harp.bench", matches = "true")
class TrafficPublishCostBench {

  private static final int EVENTS = 50_000;
  private static final int BATCH = 100;
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  @Test
  void clusteredPublishSingleVsBatched() {
    try (TestUpstream upstream = TestUpstream.start();
         HarpTestCluster cluster = HarpTestCluster.start(3, spec -> spec.baseConfig() + """
             events: {maxPerSecond: 0}
             proxies:
               - name: api
                 port: %d
                 upstream: {endpoints: [%s]}
             """.formatted(spec.proxyPort(0), upstream.url()))) {
      AtomicLong received = new AtomicLong();
      for (int n = 1; n <= 2; n++) {
        EventBus bus = cluster.node(n).vertx().eventBus();
        Await.result(bus.<JsonObject>consumer("bench.traffic", m ->
            received.addAndGet(m.body().containsKey("events") ? m.body().getJsonArray("events").size() : 1))
            .completion());
      }
      Context sender = cluster.node(0).vertx().getOrCreateContext();
      JsonObject event = TrafficEvent.toJson("node-1", exchange());
      List<Double> single = new ArrayList<>();
      List<Double> batched = new ArrayList<>();
      round(sender, event, 1, received); // warm-up
      round(sender, event, BATCH, received);
      for (int r = 0; r < 7; r++) {
        single.add(round(sender, event, 1, received));
        batched.add(round(sender, event, BATCH, received));
      }
      System.out.printf("%nclustered publish to 2 remote subscribers, CPU µs per event (median of 7): "
          + "single %.2f, batch of %d %.2f, ratio %.1fx%n  single %s%n  batched %s%n", median(single), BATCH,
          median(batched), median(single) / median(batched), single, batched);
    }
  }

  @Test
  void hotPathCost() {
    CompletedExchange e = exchange();
    TrafficEvents refused = new TrafficEvents(new TrafficBudget(0), new TrafficPublisher("n", 1_000));
    TrafficEvents admitted = new TrafficEvents(new TrafficBudget(1_000_000), new TrafficPublisher("n", 100_000_000));
    for (int r = 0; r < 3; r++) {
      System.out.printf("onComplete ns/op: sampled out %.1f, admitted %.1f%n", nsPerOp(refused, e, 20_000_000),
          nsPerOp(admitted, e, 200_000));
    }
  }

  private static double nsPerOp(TrafficEvents events, CompletedExchange e, int n) {
    long begin = System.nanoTime();
    for (int i = 0; i < n; i++) {
      events.onComplete(e);
    }
    return (System.nanoTime() - begin) / (double) n;
  }

  /** Publishes EVENTS events in messages of {@code batch}, waits until both subscribers have all; CPU µs per event. */
  private static double round(Context sender, JsonObject event, int batch, AtomicLong received) {
    long target = received.get() + 2L * EVENTS;
    long cpu = OS.getProcessCpuTime();
    Promise<Void> done = Promise.promise();
    // In slices, so the sending event loop is never held for long (the blocked-thread checker would fail the run).
    sender.runOnContext(v -> publishSlice(sender, event, batch, EVENTS / batch, done));
    Await.result(done.future());
    dev.harp.testkit.Await.until("subscribers received all", Duration.ofSeconds(60), () -> received.get() >= target);
    return (OS.getProcessCpuTime() - cpu) / 1_000.0 / EVENTS;
  }

  private static void publishSlice(Context sender, JsonObject event, int batch, int messagesLeft, Promise<Void> done) {
    EventBus bus = sender.owner().eventBus();
    int slice = Math.min(messagesLeft, Math.max(1, 500 / batch));
    for (int i = 0; i < slice; i++) {
      if (batch == 1) {
        bus.publish("bench.traffic", event.copy());
      } else {
        JsonArray events = new JsonArray();
        for (int j = 0; j < batch; j++) {
          events.add(event.copy());
        }
        bus.publish("bench.traffic", new JsonObject().put("node", "node-1").put("events", events));
      }
    }
    if (messagesLeft == slice) {
      done.complete();
    } else {
      sender.runOnContext(v -> publishSlice(sender, event, batch, messagesLeft - slice, done));
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static CompletedExchange exchange() {
    return new CompletedExchange("api", "0123456789abcdef0123456789abcdef", "GET", "/orders/12345", 200, null,
        "http://127.0.0.1:8080", System.currentTimeMillis(), 1_234_567, 1_000_000, 0, 1024, "127.0.0.1", false);
  }
}
