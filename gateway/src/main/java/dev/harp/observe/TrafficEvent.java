package dev.harp.observe;

import dev.harp.engine.CompletedExchange;
import io.vertx.core.json.JsonObject;

/** The JSON shape of one traffic event (docs/events.md). Built at flush time, off the proxies' hot path. */
final class TrafficEvent {

  private TrafficEvent() {
  }

  static JsonObject toJson(String node, CompletedExchange e) {
    JsonObject json = new JsonObject()
        .put("node", node)
        .put("proxy", e.proxy())
        .put("method", e.method())
        .put("path", e.path())
        .put("status", e.status())
        .put("durationMs", millis(e.durationNanos()))
        .put("bytesIn", e.bytesIn())
        .put("bytesOut", e.bytesOut())
        .put("requestId", e.requestId())
        .put("upstream", e.upstream())
        .put("ts", e.startEpochMillis());
    if (e.failure() != null) {
      json.put("failure", e.failure().slug());
    }
    if (e.upgrade()) {
      json.put("upgrade", true);
    }
    return json;
  }

  /** Milliseconds with microsecond precision: enough for a dashboard, and short on the wire. */
  static double millis(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }
}
