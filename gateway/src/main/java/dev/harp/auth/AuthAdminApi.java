package dev.harp.auth;

import dev.harp.admin.auth.AdminPrincipal;
import dev.harp.config.HarpConfig;
import dev.harp.config.ProxyConfig;
import dev.harp.secrets.KeyHash;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The admin API of auth, behind the admin guard like every admin route:
 * <ul>
 *   <li>{@code GET /api/auth/consumers}: consumers and their key ids (never keys nor hashes);</li>
 *   <li>{@code POST /api/auth/consumers/{consumer}/keys} {@code {"id": "...", "sha256": "..."}}: registers a key
 *       (without {@code sha256}, HARP generates the key and returns it once);</li>
 *   <li>{@code DELETE /api/auth/consumers/{consumer}/keys/{id}}: revokes it, on every node within a second;</li>
 *   <li>{@code POST /api/auth/logout} {@code {"proxy": "...", "cookies": {...}, "headers": {...}}} or
 *       {@code {"user": "..."}}: forgets cached sessions everywhere. The same JSON sent on the event bus to
 *       {@value #LOGOUT_ADDRESS} does the same and replies {@code {"removed": n}}.</li>
 * </ul>
 */
final class AuthAdminApi {

  static final String LOGOUT_ADDRESS = "harp.auth.logout";

  private static final Logger LOG = LoggerFactory.getLogger(AuthAdminApi.class);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

  private final Vertx vertx;
  private final HarpConfig config;
  private final KeyStore keys;
  private final SessionCache sessions;

  AuthAdminApi(Vertx vertx, HarpConfig config, KeyStore keys, SessionCache sessions) {
    this.vertx = vertx;
    this.config = config;
    this.keys = keys;
    this.sessions = sessions;
  }

  void mount(Router router) {
    router.route("/api/auth/*").handler(BodyHandler.create().setBodyLimit(64 * 1024));
    router.get("/api/auth/consumers").handler(this::listConsumers);
    router.post("/api/auth/consumers/:consumer/keys").handler(this::addKey);
    router.delete("/api/auth/consumers/:consumer/keys/:id").handler(this::revokeKey);
    router.post("/api/auth/logout").handler(ctx -> {
      JsonObject body = jsonBody(ctx);
      if (body != null) {
        logout(body).onComplete(ar -> {
          if (ar.succeeded()) {
            LOG.info("{} logged out {} cached session(s)", who(ctx), ar.result());
            json(ctx, 200, new JsonObject().put("removed", ar.result()));
          } else {
            error(ctx, ar.cause() instanceof IllegalArgumentException ? 400 : 500, ar.cause().getMessage());
          }
        });
      }
    });
  }

  /** The event-bus form of logout, for components on the cluster's bus. */
  void onLogoutMessage(Message<JsonObject> message) {
    logout(message.body() == null ? new JsonObject() : message.body()).onComplete(ar -> {
      if (ar.succeeded()) {
        message.reply(new JsonObject().put("removed", ar.result()));
      } else {
        message.fail(ar.cause() instanceof IllegalArgumentException ? 400 : 500, ar.cause().getMessage());
      }
    });
  }

  private Future<Integer> logout(JsonObject body) {
    String user = body.getValue("user") instanceof String s ? s : null;
    if (user != null && !user.isBlank()) {
      return sessions.logoutUser(user);
    }
    String proxy = body.getValue("proxy") instanceof String s ? s : null;
    Optional<AuthConfig.Forward> forward = config.proxies().stream().filter(p -> p.name().equals(proxy)).findFirst()
        .flatMap(AuthConfig::of).flatMap(AuthConfig::forward);
    if (forward.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException(
          "give \"user\", or \"proxy\" (a proxy with auth.forward) with the session's \"cookies\"/\"headers\""));
    }
    SessionCredentials credentials;
    try {
      credentials = SessionCredentials.fromJson(body, forward.get());
    } catch (ClassCastException e) {
      return Future.failedFuture(new IllegalArgumentException("\"cookies\" and \"headers\" must be JSON objects"));
    }
    if (credentials.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("none of the proxy's session cookies or headers given"));
    }
    return sessions.logout(credentials.cacheKey(forward.get()), vertx.getOrCreateContext());
  }

  private void listConsumers(RoutingContext ctx) {
    Map<String, JsonObject> byName = new LinkedHashMap<>();
    for (HarpConfig.ConsumerConfig c : config.consumers()) {
      byName.put(c.name(), consumerJson(c.name(), c.groups()));
    }
    for (ApiKeyRecord r : keys.list()) {
      byName.computeIfAbsent(r.consumer(), n -> consumerJson(n, r.groups())).getJsonArray("keys").add(new JsonObject()
          .put("id", r.id()).put("origin", r.origin()).put("revoked", r.revoked()).put("createdAt", r.createdAt()));
    }
    json(ctx, 200, new JsonObject().put("consumers", new JsonArray(List.copyOf(byName.values()))));
  }

  private static JsonObject consumerJson(String name, List<String> groups) {
    return new JsonObject().put("name", name).put("groups", new JsonArray(groups)).put("keys", new JsonArray());
  }

  private void addKey(RoutingContext ctx) {
    String consumer = ctx.pathParam("consumer");
    JsonObject body = jsonBody(ctx);
    if (body == null) {
      return;
    }
    String id = body.getValue("id") instanceof String s ? s : null;
    String sha256 = body.getValue("sha256") instanceof String s ? s.toLowerCase() : null;
    if (!NAME.matcher(consumer).matches() || id == null || !NAME.matcher(id).matches()) {
      error(ctx, 400, "consumer and \"id\" are 1-64 letters, digits, '.', '_', '@' or '-'");
      return;
    }
    if (sha256 != null && !SHA256_HEX.matcher(sha256).matches()) {
      error(ctx, 400, "\"sha256\" must be 64 hex digits (or leave it out and HARP generates the key)");
      return;
    }
    String generated = sha256 == null ? KeyHash.newSecret("harp_") : null;
    keys.add(consumer, id, sha256 != null ? sha256 : KeyHash.sha256Hex(generated), vertx.getOrCreateContext())
        .onComplete(ar -> {
          if (ar.failed()) {
            error(ctx, ar.cause() instanceof KeyStore.Conflict ? 409 : 500, ar.cause().getMessage());
            return;
          }
          LOG.info("{} added API key '{}' for consumer '{}'", who(ctx), id, consumer);
          JsonObject out = new JsonObject().put("consumer", consumer).put("id", id);
          if (generated != null) {
            out.put("key", generated); // shown this once; HARP keeps only its hash
          }
          json(ctx, 201, out);
        });
  }

  private void revokeKey(RoutingContext ctx) {
    String consumer = ctx.pathParam("consumer");
    String id = ctx.pathParam("id");
    keys.revoke(consumer, id, vertx.getOrCreateContext()).onComplete(ar -> {
      if (ar.failed()) {
        error(ctx, 500, ar.cause().getMessage());
      } else if (ar.result() == 0) {
        error(ctx, 404, "consumer '" + consumer + "' has no active key '" + id + "'");
      } else {
        LOG.info("{} revoked API key '{}' of consumer '{}'", who(ctx), id, consumer);
        json(ctx, 200, new JsonObject().put("revoked", ar.result()));
      }
    });
  }

  private static JsonObject jsonBody(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      return body == null ? new JsonObject() : body;
    } catch (DecodeException | ClassCastException e) {
      error(ctx, 400, "the body must be a JSON object");
      return null;
    }
  }

  private static String who(RoutingContext ctx) {
    AdminPrincipal p = ctx.get(AdminPrincipal.KEY);
    return p == null ? "admin" : "admin '" + p.name() + "'";
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }

  private static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("status", status).put("error", message));
  }
}
