package dev.harp.ban;

import dev.harp.config.Durations;
import dev.harp.net.IpLiterals;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The admin API for bans, on the admin port:
 * <ul>
 *   <li>{@code GET /api/bans}: bans in force, from this node's copy (the same on every node);</li>
 *   <li>{@code POST /api/bans} {@code {"client": "198.51.100.4", "proxy": "api", "duration": "1h", "reason": "..."}}:
 *       ban by hand ({@code proxy} absent: every proxy);</li>
 *   <li>{@code DELETE /api/bans/{client}[?proxy=api]}: lift the client's bans (all of them without {@code proxy}).</li>
 * </ul>
 * Errors are {@code application/problem+json}.
 */
final class BanAdmin {

  static final Duration DEFAULT_MANUAL_DURATION = Duration.ofHours(1);
  private static final int MAX_REASON = 200;

  private final BanService bans;
  private final Map<String, BanSettings> settings;

  /** @param settings the ban settings of every proxy by name (null for a proxy without a ban block) */
  BanAdmin(BanService bans, Map<String, BanSettings> settings) {
    this.bans = bans;
    this.settings = settings;
  }

  void mount(Router router) {
    router.get("/api/bans").handler(this::list);
    router.post("/api/bans").handler(BodyHandler.create().setBodyLimit(8192)).handler(this::ban);
    router.delete("/api/bans/:client").handler(this::lift);
  }

  private void list(RoutingContext ctx) {
    JsonArray out = new JsonArray();
    bans.store().list().forEach(b -> out.add(b.toJson()));
    json(ctx, 200, new JsonObject().put("bans", out));
  }

  private void ban(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      problem(ctx, 400, "the body must be a JSON object");
      return;
    }
    if (body == null) {
      problem(ctx, 400, "the body must be a JSON object: {\"client\": \"198.51.100.4\", \"duration\": \"1h\"}");
      return;
    }
    String client = IpLiterals.normalize(body.getValue("client") instanceof String s ? s : null);
    if (client == null) {
      problem(ctx, 400, "client: must be a literal IP address");
      return;
    }
    String proxy = body.getValue("proxy") instanceof String p ? p : BanRecord.ALL_PROXIES;
    if (!proxy.equals(BanRecord.ALL_PROXIES) && !settings.containsKey(proxy)) {
      problem(ctx, 400, "proxy: no proxy named '" + proxy + "'");
      return;
    }
    Duration duration;
    try {
      BanSettings s = settings.get(proxy);
      duration = body.getValue("duration") instanceof String d ? Durations.parse(d)
          : s != null ? s.duration() : DEFAULT_MANUAL_DURATION;
    } catch (IllegalArgumentException e) {
      problem(ctx, 400, "duration: " + e.getMessage());
      return;
    }
    if (duration.isZero()) {
      problem(ctx, 400, "duration: must be greater than 0");
      return;
    }
    String reason = body.getValue("reason") instanceof String r && !r.isBlank() ? r : "banned by an administrator";
    if (reason.length() > MAX_REASON) {
      problem(ctx, 400, "reason: at most " + MAX_REASON + " characters");
      return;
    }
    for (Map.Entry<String, BanSettings> e : settings.entrySet()) {
      boolean inScope = proxy.equals(BanRecord.ALL_PROXIES) || proxy.equals(e.getKey());
      if (inScope && e.getValue() != null && e.getValue().allow().contains(client)) {
        problem(ctx, 409, client + " is on the allow-list of proxy '" + e.getKey() + "' and is never banned");
        return;
      }
    }
    long now = System.currentTimeMillis();
    bans.ban(new BanRecord(client, proxy, now + duration.toMillis(), reason, "admin", now, bans.node()))
        .onSuccess(b -> json(ctx, 201, b.toJson()))
        .onFailure(err -> problem(ctx, 503, "the cluster did not store the ban: " + err.getMessage()));
  }

  private void lift(RoutingContext ctx) {
    String client = IpLiterals.normalize(ctx.pathParam("client"));
    if (client == null) {
      problem(ctx, 400, "client: must be a literal IP address");
      return;
    }
    String proxy = ctx.queryParams().get("proxy");
    List<String> scopes = new ArrayList<>();
    if (proxy != null) {
      scopes.add(proxy);
    } else {
      scopes.add(BanRecord.ALL_PROXIES);
      scopes.addAll(settings.keySet());
    }
    bans.lift(client, scopes).onSuccess(lifted -> {
      if (lifted.isEmpty()) {
        problem(ctx, 404, "no ban in force for " + client + (proxy == null ? "" : " on proxy '" + proxy + "'"));
      } else {
        JsonArray out = new JsonArray();
        lifted.forEach(b -> out.add(b.toJson()));
        json(ctx, 200, new JsonObject().put("lifted", out));
      }
    }).onFailure(err -> problem(ctx, 503, "the cluster did not lift the ban: " + err.getMessage()));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }

  private static void problem(RoutingContext ctx, int status, String detail) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
        .end(new JsonObject().put("title", ctx.response().getStatusMessage()).put("status", status)
            .put("detail", detail).put("instance", ctx.request().path()).encode());
  }
}
