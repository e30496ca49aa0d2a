package dev.harp.resilience;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.Set;

/**
 * Admin API (admin port):
 * <ul>
 *   <li>{@code GET /api/proxies/{proxy}/endpoints}: this node's view of each endpoint (availability and why,
 *       health, circuit, ejection, maintenance), and whether this node is the prober;</li>
 *   <li>{@code PUT /api/proxies/{proxy}/endpoints/{id}/maintenance} with {@code {"state": "down"|"up",
 *       "reason": "..."}}: forces the endpoint down or up on every node;</li>
 *   <li>{@code DELETE} on the same path: back to automatic.</li>
 * </ul>
 * {@code id} is the endpoint's index in the listing (primary endpoints first, then the fallback pool).
 */
final class ResilienceApi {

  private ResilienceApi() {
  }

  static void mount(Router router, ResilienceNode resilience) {
    String base = "/api/proxies/:proxy/endpoints";
    router.get(base).handler(ctx -> list(ctx, resilience));
    router.put(base + "/:id/maintenance").handler(BodyHandler.create().setBodyLimit(4096))
        .handler(ctx -> set(ctx, resilience));
    router.delete(base + "/:id/maintenance").handler(ctx -> clear(ctx, resilience));
  }

  private static void list(RoutingContext ctx, ResilienceNode resilience) {
    String proxy = ctx.pathParam("proxy");
    if (!resilience.hasProxy(proxy)) {
      problem(ctx, 404, "no proxy named '" + proxy + "'");
      return;
    }
    ResilienceFilter policy = resilience.policy(proxy);
    JsonArray endpoints = new JsonArray();
    if (policy != null) {
      for (EndpointGuard g : policy.guards()) {
        endpoints.add(g.toJson());
      }
    } else {
      resilience.endpoints(proxy).forEach(e -> endpoints.add(e.toJson().put("available", true)));
    }
    json(ctx, 200, new JsonObject().put("proxy", proxy).put("node", resilience.nodeName())
        .put("resilience", policy != null).put("prober", resilience.probing()).put("endpoints", endpoints));
  }

  private static void set(RoutingContext ctx, ResilienceNode resilience) {
    EndpointGuard guard = guard(ctx, resilience);
    if (guard == null) {
      return;
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      body = null;
    }
    String state = body == null ? null : body.getString("state");
    if (state == null || !Set.of("up", "down").contains(state)) {
      problem(ctx, 400, "body must be {\"state\": \"up\" | \"down\", \"reason\": \"...\"} (DELETE to clear)");
      return;
    }
    resilience.maintenance().set(guard, state, body.getString("reason"))
        .onSuccess(r -> json(ctx, 200, r.toJson().put("proxy", guard.proxy()).put("endpoint",
            guard.endpoint().label())))
        .onFailure(err -> problem(ctx, 503, "could not store the override: " + err.getMessage()));
  }

  private static void clear(RoutingContext ctx, ResilienceNode resilience) {
    EndpointGuard guard = guard(ctx, resilience);
    if (guard == null) {
      return;
    }
    resilience.maintenance().clear(guard)
        .onSuccess(r -> json(ctx, 200, r.toJson().put("proxy", guard.proxy()).put("endpoint",
            guard.endpoint().label())))
        .onFailure(err -> problem(ctx, 503, "could not clear the override: " + err.getMessage()));
  }

  private static EndpointGuard guard(RoutingContext ctx, ResilienceNode resilience) {
    String proxy = ctx.pathParam("proxy");
    ResilienceFilter policy = resilience.policy(proxy);
    if (policy == null) {
      problem(ctx, 404, "proxy '" + proxy + "' does not exist or has no resilience settings (maintenance needs a "
          + "health:, outlier:, retry: or circuitBreaker: block)");
      return null;
    }
    String id = ctx.pathParam("id");
    EndpointGuard[] guards = policy.guards();
    try {
      int i = Integer.parseInt(id);
      if (i >= 0 && i < guards.length) {
        return guards[i];
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    problem(ctx, 404, "proxy '" + proxy + "' has no endpoint " + id + " (ids are 0-" + (guards.length - 1) + ")");
    return null;
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }

  private static void problem(RoutingContext ctx, int status, String detail) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
        .end(new JsonObject().put("status", status).put("title", switch (status) {
          case 404 -> "Not Found";
          case 503 -> "Service Unavailable";
          default -> "Bad Request";
        })
            .put("detail", detail).put("instance", ctx.request().path()).encode());
  }
}
