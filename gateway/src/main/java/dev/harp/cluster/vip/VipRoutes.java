package dev.harp.cluster.vip;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.Optional;

/**
 * {@code GET /api/cluster/vip} reads this node's VIP role; {@code POST /api/cluster/vip} with
 * {@code {"state":"MASTER|BACKUP|FAULT|STOP"}} is how keepalived's notify script reports a transition.
 */
public final class VipRoutes {

  static final String PATH = "/api/cluster/vip";

  private VipRoutes() {
  }

  public static void mount(Router router, VipRole role) {
    router.get(PATH).handler(ctx -> json(ctx, 200, role.toJson()));
    router.post(PATH).handler(BodyHandler.create().setBodyLimit(1024)).handler(ctx -> report(ctx, role));
  }

  private static void report(RoutingContext ctx, VipRole role) {
    Optional<VipState> state;
    try {
      JsonObject body = ctx.body().asJsonObject();
      state = VipState.reported(body == null ? null : body.getValue("state") instanceof String s ? s : null);
    } catch (DecodeException e) {
      state = Optional.empty();
    }
    if (state.isEmpty()) {
      json(ctx, 400, new JsonObject().put("type", "https://harp.dev/problems/bad-request").put("title", "Bad Request")
          .put("status", 400).put("detail", "expected {\"state\": \"MASTER|BACKUP|FAULT|STOP\"}")
          .put("instance", PATH), "application/problem+json");
      return;
    }
    boolean changed = role.report(state.get());
    json(ctx, 200, role.toJson().put("changed", changed));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    json(ctx, status, body, "application/json");
  }

  private static void json(RoutingContext ctx, int status, JsonObject body, String type) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", type).putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }
}
