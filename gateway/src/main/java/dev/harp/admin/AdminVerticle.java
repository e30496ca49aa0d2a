package dev.harp.admin;

import dev.harp.admin.auth.AdminGuard;
import dev.harp.node.Readiness;
import dev.harp.observe.HarpMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The admin port: health for keepalived and orchestrators, Prometheus metrics, and what features and the dashboard
 * mount on its router (page, event-bus bridge, {@code /api/...}). Every route, those mounted by others included, is
 * behind the {@link AdminGuard}.
 */
public final class AdminVerticle extends VerticleBase {

  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final int GUARD_ORDER = -1_000_000;

  private final String bind;
  private final int port;
  private final Readiness readiness;
  private final HarpMetrics metrics;
  private final Router router;
  private final AdminGuard guard;
  private HttpServer server;

  /**
   * @param router carries the routes features mounted (under /api/...) before the admin server starts
   * @param guard  checks credentials in front of every route
   */
  public AdminVerticle(String bind, int port, Readiness readiness, HarpMetrics metrics, Router router,
                       AdminGuard guard) {
    this.router = router;
    this.guard = guard;
    this.bind = bind;
    this.port = port;
    this.readiness = readiness;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    return guard.start(vertx).compose(v -> listen());
  }

  private Future<HttpServer> listen() {
    // First whatever the order features mounted their routes in: nothing on this port is served unguarded.
    router.route().order(GUARD_ORDER).handler(guard);
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics").handler(ctx -> ctx.response().putHeader("Content-Type", PROMETHEUS_TEXT)
        .end(metrics.scrape()));
    router.get("/").handler(ctx -> ctx.redirect("/dashboard/"));
    // HTTP/1.1 only, as on the proxy ports: Vert.x accepts an h2c upgrade by default, and the JDK client's upgrade
    // attempt on it once left a test's /metrics call waiting forever (CI run, StaleKeepAliveTest).
    server = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setHttp2ClearTextEnabled(false))
        .requestHandler(router);
    return server.listen(port, bind);
  }

  @Override
  public Future<?> stop() {
    return guard.close();
  }

  private void ready(RoutingContext ctx) {
    readiness.check().onComplete(ar -> {
      JsonObject report = ar.succeeded() ? ar.result()
          : new JsonObject().put("ready", false).put("error", String.valueOf(ar.cause()));
      json(ctx, report.getBoolean("ready", false) ? 200 : 503, report);
    });
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store").end(body.encode());
  }

  public int actualPort() {
    return server.actualPort();
  }
}
