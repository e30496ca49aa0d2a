package dev.harp.ban;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * Publishes every ban and lift on the clustered event bus, address {@code harp.bans}, from the node that made it:
 * {@code {"type": "banned"|"lifted", "ban": {...BanRecord...}, "node": "...", "ts": epochMillis}}. Expiry is not an
 * event: every ban carries its {@code until}.
 */
final class BanEvents {

  static final String ADDRESS = "harp.bans";

  private final Vertx vertx;
  private final String node;

  BanEvents(Vertx vertx, String node) {
    this.vertx = vertx;
    this.node = node;
  }

  void banned(BanRecord ban) {
    publish("banned", ban);
  }

  void lifted(BanRecord ban) {
    publish("lifted", ban);
  }

  private void publish(String type, BanRecord ban) {
    vertx.eventBus().publish(ADDRESS, new JsonObject().put("type", type).put("ban", ban.toJson())
        .put("node", node).put("ts", System.currentTimeMillis()));
  }
}
