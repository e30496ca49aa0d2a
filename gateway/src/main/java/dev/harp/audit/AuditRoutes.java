package dev.harp.audit;

import dev.harp.audit.store.AuditStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.function.Supplier;

/**
 * The admin API of the audit trail (behind the admin login, like every {@code /api} route):
 * <ul>
 *   <li>{@code GET /api/audit}: this node's log: size, root, latest and latest final checkpoint and their signers,
 *       written and shed records, forks its witness refused;</li>
 *   <li>{@code GET /api/audit/nodes}: the same for every node that publishes audit keys (a node that does not answer
 *       is listed with its error);</li>
 *   <li>{@code GET /api/audit/keys}: the trusted keys and quorum as a keys file for {@code harp audit verify};</li>
 *   <li>{@code GET /api/audit/receipt?index=N} or {@code ?requestId=X}: one transaction with its inclusion proof and
 *       a final cosigned checkpoint, verifiable offline;</li>
 *   <li>{@code GET /api/audit/export?from=&to=} (epoch ms): this node's records of that time range as a bundle.</li>
 * </ul>
 */
final class AuditRoutes {

  private static final long NODE_TIMEOUT_MS = 3_000;

  private final Vertx vertx;
  private final String node;
  private final AuditStore store;
  private final KeyDirectory directory;
  private final AuditQueries queries;
  private final int quorum;

  AuditRoutes(Vertx vertx, String node, AuditStore store, KeyDirectory directory, AuditQueries queries, int quorum) {
    this.vertx = vertx;
    this.node = node;
    this.store = store;
    this.directory = directory;
    this.queries = queries;
    this.quorum = quorum;
  }

  void mount(Router router) {
    router.get("/api/audit").handler(ctx -> blocking(ctx, queries::status));
    router.get("/api/audit/nodes").handler(this::nodes);
    router.get("/api/audit/keys").handler(ctx -> vertx.executeBlocking(() -> {
      directory.refresh();
      return directory.keysFile(quorum);
    }, false).onSuccess(text -> ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(text))
        .onFailure(ctx::fail));
    router.get("/api/audit/receipt").handler(this::receipt);
    router.get("/api/audit/export").handler(this::export);
  }

  private void receipt(RoutingContext ctx) {
    String index = ctx.request().getParam("index");
    String requestId = ctx.request().getParam("requestId");
    if ((index == null) == (requestId == null)) {
      problem(ctx, 400, "give index or requestId");
      return;
    }
    blocking(ctx, () -> {
      long i;
      if (index != null) {
        i = Long.parseLong(index);
      } else {
        i = store.detailByRequestId(requestId).map(d -> d.getLong("index")).orElse(-1L);
      }
      if (i < 0) {
        return null;
      }
      return store.exportReceipt(i).orElse(null);
    });
  }

  private void export(RoutingContext ctx) {
    long from;
    long to;
    try {
      from = Long.parseLong(ctx.request().getParam("from", "0"));
      to = Long.parseLong(ctx.request().getParam("to", Long.toString(Long.MAX_VALUE)));
    } catch (NumberFormatException e) {
      problem(ctx, 400, "from and to are epoch milliseconds");
      return;
    }
    blocking(ctx, () -> store.exportBundle(from, to));
  }

  private void nodes(RoutingContext ctx) {
    vertx.executeBlocking(() -> {
      directory.refresh();
      return directory.all();
    }, false).onSuccess(entries -> {
      List<Future<JsonObject>> answers = entries.stream().map(e -> vertx.eventBus().<JsonObject>request(
          AuditAddresses.queries(e.node()), new JsonObject().put("op", "status"),
          new DeliveryOptions().setSendTimeout(NODE_TIMEOUT_MS)).map(Message::body)).toList();
      Future.join(answers).onComplete(ar -> {
        JsonArray out = new JsonArray();
        for (int i = 0; i < entries.size(); i++) {
          Future<JsonObject> a = answers.get(i);
          out.add(a.succeeded() ? a.result()
              : new JsonObject().put("node", entries.get(i).node()).put("error", String.valueOf(a.cause().getMessage())));
        }
        json(ctx, 200, new JsonObject().put("self", node).put("nodes", out));
      });
    }).onFailure(ctx::fail);
  }

  private void blocking(RoutingContext ctx, Supplier<JsonObject> work) {
    vertx.executeBlocking(work::get, false).onComplete(ar -> {
      if (ar.failed()) {
        problem(ctx, ar.cause() instanceof NumberFormatException ? 400 : 500, String.valueOf(ar.cause().getMessage()));
      } else if (ar.result() == null) {
        problem(ctx, 404, "no such transaction in this node's log");
      } else {
        json(ctx, 200, ar.result());
      }
    });
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  private static void problem(RoutingContext ctx, int status, String detail) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
        .end(new JsonObject().put("type", "about:blank").put("status", status).put("detail", detail).encode());
  }
}
