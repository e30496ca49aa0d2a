package dev.harp.dashboard;

import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * Answers the coordinator's questions about this node: a search over its store, one transaction's detail, its
 * masked config. Registered on {@link DashboardAddresses#nodeQueries}, which no browser can reach: the bridge only
 * opens the coordinator's addresses.
 */
final class NodeQueries {

  private final String node;
  private final TransactionStore store;
  private final MaskedConfig config;

  NodeQueries(String node, TransactionStore store, MaskedConfig config) {
    this.node = node;
    this.store = store;
    this.config = config;
  }

  void handle(Message<JsonObject> m) {
    JsonObject body = m.body() == null ? new JsonObject() : m.body();
    switch (body.getString("op", "")) {
      case "search" -> m.reply(store.search(TransactionQuery.from(body.getJsonObject("query"))).put("node", node));
      case "detail" -> {
        String requestId = body.getString("requestId");
        JsonObject d = requestId != null ? store.detailByRequestId(requestId, body.getLong("ts"))
            : store.detail(body.getLong("id", -1L));
        if (d == null) {
          m.fail(404, "transaction " + body.getValue("id") + " is no longer kept on " + node);
        } else {
          m.reply(d);
        }
      }
      case "config" -> {
        JsonObject fingerprints = new JsonObject();
        config.fingerprints().forEach(fingerprints::put);
        m.reply(new JsonObject().put("node", node).put("config", config.masked()).put("fingerprints", fingerprints));
      }
      default -> m.fail(400, "unknown op");
    }
  }
}
