package dev.harp.dashboard;

import dev.harp.audit.AuditAddresses;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
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
  private final EventBus auditLog;

  /** @param auditLog the bus, when the node keeps an audit trail that searches and details come from; else null */
  NodeQueries(String node, TransactionStore store, MaskedConfig config, EventBus auditLog) {
    this.node = node;
    this.store = store;
    this.config = config;
    this.auditLog = auditLog;
  }

  void handle(Message<JsonObject> m) {
    JsonObject body = m.body() == null ? new JsonObject() : m.body();
    String op = body.getString("op", "");
    if (auditLog != null && (op.equals("search") || op.equals("detail"))) {
      fromAuditLog(m, body);
      return;
    }
    switch (op) {
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

  /** The durable log answers: every transaction, restarts included (see AuditView). */
  private void fromAuditLog(Message<JsonObject> m, JsonObject body) {
    auditLog.<JsonObject>request(AuditAddresses.queries(node), body,
        new DeliveryOptions().setSendTimeout(ClusterQueries.NODE_TIMEOUT_MS)).onComplete(ar -> {
          if (ar.failed()) {
            m.fail(ar.cause() instanceof ReplyException re && re.failureCode() > 0 ? re.failureCode() : 503,
                ar.cause().getMessage());
            return;
          }
          JsonObject r = ar.result().body();
          if (body.getString("op").equals("search")) {
            JsonArray rows = new JsonArray();
            r.getJsonArray("items", new JsonArray()).forEach(o -> rows.add(AuditView.row((JsonObject) o)));
            m.reply(new JsonObject().put("matched", r.getValue("matched")).put("items", rows).put("node", node));
          } else {
            m.reply(AuditView.detail(r));
          }
        });
  }
}
