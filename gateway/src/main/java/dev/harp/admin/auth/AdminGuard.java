package dev.harp.admin.auth;

import com.hazelcast.core.HazelcastInstance;
import dev.harp.secrets.KeyHash;
import dev.harp.config.HarpConfig.AdminConfig;
import dev.harp.config.HarpConfig.AdminToken;
import dev.harp.config.HarpConfig.AdminUser;
import dev.harp.engine.Problems;
import dev.harp.engine.ProxyFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Stands in front of every admin route (API, dashboard, event-bus bridge, metrics): HTTP Basic with bcrypt-hashed
 * passwords, so a browser's own login prompt works for the dashboard and its SockJS bridge, and bearer tokens, stored
 * as SHA-256, for scripts. {@code /health/*} and {@code /metrics} can be left open by config. Passes the request on
 * with an {@link AdminPrincipal} under {@link AdminPrincipal#KEY}, or ends it with a problem response.
 */
public final class AdminGuard implements Handler<RoutingContext> {

  public static final String REALM = "HARP admin";
  /** bcrypt runs here, not on the shared worker pool; 2 threads bound the CPU a login burst can take. */
  static final int WORKER_THREADS = 2;

  private static final Logger LOG = LoggerFactory.getLogger(AdminGuard.class);

  private final AdminConfig config;
  private final HazelcastInstance hazelcast;
  private final Map<String, String> userHashes = new HashMap<>();
  private final Map<String, String> tokenNames = new HashMap<>();
  private final MeterRegistry registry;
  private final Counter accepted;
  private final Counter refused;
  private WorkerExecutor workers;
  private PasswordChecks checks;
  /** Null when admin users or tokens are configured. */
  private GeneratedLogin generated;

  public AdminGuard(AdminConfig config, HazelcastInstance hazelcast, MeterRegistry registry) {
    this.config = config;
    this.hazelcast = hazelcast;
    this.registry = registry;
    this.accepted = outcome(registry, "accepted");
    this.refused = outcome(registry, "refused");
    for (AdminUser u : config.users()) {
      userHashes.put(u.name(), u.passwordHash());
    }
    for (AdminToken t : config.tokens()) {
      tokenNames.put(t.sha256(), t.name());
    }
  }

  /** Call on the admin server's context before it listens: sets up the workers and, if needed, the generated login. */
  public Future<Void> start(Vertx vertx) {
    Context context = vertx.getOrCreateContext();
    workers = vertx.createSharedWorkerExecutor("harp-admin-auth", WORKER_THREADS);
    checks = new PasswordChecks(workers, config.loginCacheTtl(), Counter.builder("harp_admin_password_checks")
        .description("bcrypt verifications run for admin logins (cached and coalesced logins are not counted)")
        .register(registry));
    if (config.hasCredentials()) {
      return Future.succeededFuture();
    }
    // getMap may talk to other members the first time: a worker's job, not the event loop's.
    return workers.executeBlocking(() -> LoginStore.hazelcast(hazelcast, context), false)
        .compose(store -> {
          generated = new GeneratedLogin(store);
          return generated.start(workers);
        });
  }

  public Future<Void> close() {
    return workers == null ? Future.succeededFuture() : workers.close();
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (isOpen(ctx.normalizedPath())) {
      accept(ctx, AdminPrincipal.ANONYMOUS);
      return;
    }
    PresentedCredentials presented = PresentedCredentials.parse(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (presented instanceof PresentedCredentials.Bearer bearer) {
      String name = tokenNames.get(KeyHash.sha256Hex(bearer.token()));
      if (name == null) {
        refuse(ctx, "unknown bearer token");
      } else {
        accept(ctx, new AdminPrincipal(name, AdminPrincipal.Kind.TOKEN));
      }
    } else if (presented instanceof PresentedCredentials.Basic basic) {
      if (crossSite(ctx.request())) {
        // Browsers replay Basic credentials on any request to this origin, forms from other sites included.
        problem(ctx, ProxyFailure.FORBIDDEN, "cross-site request with browser credentials");
        return;
      }
      checkPassword(ctx, basic);
    } else if (presented instanceof PresentedCredentials.Malformed malformed) {
      refuse(ctx, malformed.reason());
    } else {
      refuse(ctx, "credentials required");
    }
  }

  private void checkPassword(RoutingContext ctx, PresentedCredentials.Basic basic) {
    HttpServerRequest request = ctx.request();
    if (!request.isEnded()) {
      request.pause(); // a body arriving while bcrypt runs must wait for the route that reads it
    }
    storedHash(basic.user())
        .compose(hash -> hash == null ? checks.rejectSlowly(basic.password())
            : checks.verify(basic.user(), hash, basic.password()))
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result()) {
            accept(ctx, new AdminPrincipal(basic.user(), AdminPrincipal.Kind.USER));
            return;
          }
          resumeQuietly(request);
          if (ar.failed() && ar.cause() instanceof PasswordChecks.Busy) {
            ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
            problem(ctx, ProxyFailure.AUTH_UNAVAILABLE, "too many password checks in progress");
          } else if (ar.failed()) {
            LOG.warn("admin login check for user '{}' failed: {}", printable(basic.user()), ar.cause().toString());
            problem(ctx, ProxyFailure.AUTH_UNAVAILABLE, "login check failed");
          } else {
            LOG.warn("admin login refused for user '{}' from {}", printable(basic.user()),
                request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress());
            refuse(ctx, "wrong user or password");
          }
        });
  }

  /** The user's bcrypt hash, or null if there is no such user. */
  private Future<String> storedHash(String user) {
    if (generated != null) {
      return GeneratedLogin.USER.equals(user) ? generated.hash() : Future.succeededFuture(null);
    }
    return Future.succeededFuture(userHashes.get(user));
  }

  private boolean isOpen(String path) {
    if (config.openHealth() && (path.equals("/health") || path.startsWith("/health/"))) {
      return true;
    }
    return config.openMetrics() && path.equals("/metrics");
  }

  private static Counter outcome(MeterRegistry registry, String result) {
    return Counter.builder("harp_admin_requests").tag("result", result)
        .description("Admin requests by authentication outcome (open paths count as accepted)").register(registry);
  }

  private void accept(RoutingContext ctx, AdminPrincipal principal) {
    accepted.increment();
    ctx.put(AdminPrincipal.KEY, principal);
    resumeQuietly(ctx.request());
    ctx.next();
  }

  private void refuse(RoutingContext ctx, String detail) {
    // Basic first: browsers show their login prompt for it; scripts read the Bearer challenge.
    ctx.response().headers()
        .add("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"")
        .add("WWW-Authenticate", "Bearer realm=\"" + REALM + "\"");
    problem(ctx, ProxyFailure.UNAUTHORIZED, detail);
  }

  private void problem(RoutingContext ctx, ProxyFailure failure, String detail) {
    if (ctx.response().ended()) {
      return;
    }
    refused.increment();
    ctx.response().setStatusCode(failure.status)
        .putHeader(HttpHeaders.CONTENT_TYPE, Problems.CONTENT_TYPE)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(Problems.body(failure, detail, ctx.request().path(), null).encode());
  }

  /**
   * A state-changing request whose Origin is not this server, or that the browser marks cross-site. Requests without
   * either field (curl, scripts) are not browser-driven and pass.
   */
  static boolean crossSite(HttpServerRequest request) {
    HttpMethod m = request.method();
    if (m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS) {
      return false;
    }
    if ("cross-site".equalsIgnoreCase(request.getHeader("Sec-Fetch-Site"))) {
      return true;
    }
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (origin == null) {
      return false;
    }
    String host = request.getHeader(HttpHeaders.HOST);
    int scheme = origin.indexOf("://");
    return host == null || scheme < 0
        || !origin.substring(scheme + 3).toLowerCase(Locale.ROOT).equals(host.toLowerCase(Locale.ROOT));
  }

  private static void resumeQuietly(HttpServerRequest request) {
    if (!request.isEnded()) {
      request.resume();
    }
  }

  /** User names come from clients: keep log lines single-line and short. */
  static String printable(String s) {
    StringBuilder out = new StringBuilder(Math.min(s.length(), 64));
    for (int i = 0; i < s.length() && out.length() < 64; i++) {
      char c = s.charAt(i);
      out.append(c >= 0x20 && c < 0x7f && c != '\'' ? c : '?');
    }
    return out.toString();
  }

}
