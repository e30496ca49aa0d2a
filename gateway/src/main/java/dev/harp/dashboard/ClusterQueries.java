package dev.harp.dashboard;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a browser asks (search, detail, config, snapshot), answered by the node it is connected to: it fans the
 * question out to every live node over the event bus, waits at most {@link #NODE_TIMEOUT_MS} for each, and merges.
 * A node that does not answer is reported as such, never silently missing from the result.
 */
final class ClusterQueries {

  static final long NODE_TIMEOUT_MS = 1_500;

  private final Vertx vertx;
  private final String self;
  private final NodeDirectory directory;

  ClusterQueries(Vertx vertx, String self, NodeDirectory directory) {
    this.vertx = vertx;
    this.self = self;
    this.directory = directory;
  }

  void search(Message<JsonObject> m) {
    TransactionQuery query = TransactionQuery.from(m.body());
    List<String> targets = query.node() != null ? List.of(query.node())
        : directory.live(self, System.currentTimeMillis());
    JsonObject ask = new JsonObject().put("op", "search").put("query", query.toJson());
    fanOut(targets, ask).onSuccess(replies -> {
      List<JsonObject> items = new ArrayList<>();
      JsonObject perNode = new JsonObject();
      for (int i = 0; i < targets.size(); i++) {
        Future<JsonObject> r = replies.get(i);
        if (r.succeeded()) {
          r.result().getJsonArray("items").forEach(o -> items.add((JsonObject) o));
          perNode.put(targets.get(i), new JsonObject().put("matched", r.result().getInteger("matched")));
        } else {
          perNode.put(targets.get(i), new JsonObject().put("error", describe(r.cause())));
        }
      }
      items.sort(Comparator.comparingLong((JsonObject o) -> o.getLong("ts", 0L)).reversed());
      m.reply(new JsonObject().put("items", new JsonArray(items.subList(0, Math.min(items.size(), query.limit()))))
          .put("nodes", perNode).put("query", query.toJson()));
    });
  }

  void detail(Message<JsonObject> m) {
    JsonObject body = m.body() == null ? new JsonObject() : m.body();
    String node = body.getString("node");
    if (node == null || !(body.containsKey("id") || body.containsKey("requestId"))) {
      m.fail(400, "detail needs node, and id or requestId");
      return;
    }
    JsonObject question = new JsonObject().put("op", "detail").put("id", body.getValue("id"))
        .put("requestId", body.getValue("requestId")).put("ts", body.getValue("ts"));
    ask(node, question).onComplete(ar -> {
      if (ar.succeeded()) {
        m.reply(ar.result());
      } else {
        m.fail(ar.cause() instanceof ReplyException re && re.failureCode() > 0 ? re.failureCode() : 503,
            describe(ar.cause()));
      }
    });
  }

  void config(Message<JsonObject> m) {
    List<String> targets = directory.live(self, System.currentTimeMillis());
    fanOut(targets, new JsonObject().put("op", "config")).onSuccess(replies -> {
      List<JsonObject> ok = new ArrayList<>();
      JsonObject errors = new JsonObject();
      for (int i = 0; i < targets.size(); i++) {
        if (replies.get(i).succeeded()) {
          ok.add(replies.get(i).result());
        } else {
          errors.put(targets.get(i), describe(replies.get(i).cause()));
        }
      }
      m.reply(ConfigCompare.compare(ok).put("errors", errors));
    });
  }

  void snapshot(Message<JsonObject> m) {
    m.reply(directory.snapshot(System.currentTimeMillis()).put("self", self)
        .put("feeds", new JsonArray(DashboardAddresses.outbound()))
        .put("heartbeatMs", NodeHeartbeat.PERIOD_MS).put("goneAfterMs", NodeHeartbeat.GONE_AFTER_MS));
  }

  /** One future per target, in order; each always completes (succeeded or failed), so the join never hangs. */
  private Future<List<Future<JsonObject>>> fanOut(List<String> targets, JsonObject ask) {
    List<Future<JsonObject>> replies = targets.stream().map(node -> ask(node, ask)).toList();
    return Future.join(replies).transform(ar -> Future.succeededFuture(replies));
  }

  private Future<JsonObject> ask(String node, JsonObject question) {
    return vertx.eventBus().<JsonObject>request(DashboardAddresses.nodeQueries(node), question,
        new DeliveryOptions().setSendTimeout(NODE_TIMEOUT_MS)).map(Message::body);
  }

  private static String describe(Throwable t) {
    if (t instanceof ReplyException re) {
      return switch (re.failureType()) {
        case TIMEOUT -> "no answer within " + NODE_TIMEOUT_MS + " ms";
        case NO_HANDLERS -> "not reachable (left the cluster?)";
        default -> String.valueOf(re.getMessage());
      };
    }
    return String.valueOf(t.getMessage());
  }
}
