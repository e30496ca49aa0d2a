package dev.harp.observe;

import dev.harp.engine.CompletedExchange;
import dev.harp.engine.ProxyExchange;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Collects admitted traffic events from every event loop and publishes them in batches on {@link
 * EventAddresses#TRAFFIC}. A clustered publish encodes the message and writes it once per subscribed node, so one
 * message per ~100 ms instead of one per request saves a socket write and a frame per event per node (docs/events.md
 * has the measurement).
 *
 * <p>The queue is bounded twice: the {@link TrafficBudget} admits at most {@code maxPerSecond} events a second, and
 * {@link #offer} refuses beyond {@code capacity} pending events, should flushing ever stall.
 */
final class TrafficPublisher {

  /** Keeps one message well under a megabyte even with a large budget. */
  static final int MAX_BATCH = 500;

  private final String node;
  private final int capacity;
  private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  private volatile TrafficCapture capture;

  /** An admitted exchange with what the capture copied of it; queued only while a capture is set. */
  private record Captured(CompletedExchange exchange, Object copy) {
  }

  TrafficPublisher(String node, int capacity) {
    this.node = node;
    this.capacity = capacity;
  }

  /** Called on any event loop for an admitted event; false when the queue is full (the caller counts it). */
  boolean offer(CompletedExchange exchange) {
    return offer(exchange, null);
  }

  /** As {@link #offer(CompletedExchange)}; with a capture set, it first copies what it needs of {@code live}. */
  boolean offer(CompletedExchange exchange, ProxyExchange live) {
    if (pending.incrementAndGet() > capacity) {
      pending.decrementAndGet();
      return false;
    }
    TrafficCapture c = capture;
    Object copy = c == null || live == null ? null : c.capture(exchange, live);
    queue.offer(copy == null ? exchange : new Captured(exchange, copy));
    return true;
  }

  void capture(TrafficCapture capture) {
    this.capture = capture;
  }

  /** Publishes everything queued, in messages of at most {@link #MAX_BATCH} events. Runs on the observers' context. */
  void flush(EventBus bus) {
    TrafficCapture c = capture;
    Object e = queue.poll();
    while (e != null) {
      JsonArray events = new JsonArray();
      do {
        pending.decrementAndGet();
        CompletedExchange done = e instanceof Captured k ? k.exchange() : (CompletedExchange) e;
        JsonObject event = TrafficEvent.toJson(node, done);
        events.add(event);
        if (c != null) {
          // Shared with the published batch, which the bus only reads: the capture must not modify it.
          c.published(done, event, e instanceof Captured k ? k.copy() : null);
        }
        e = events.size() < MAX_BATCH ? queue.poll() : null;
      } while (e != null);
      bus.publish(EventAddresses.TRAFFIC, new JsonObject().put("node", node).put("events", events));
      e = queue.poll();
    }
  }
}
