package dev.harp.auth;

import dev.harp.engine.ProxyFailure;
import dev.harp.auth.AuthMetrics.Outcome;
import dev.harp.secrets.KeyHash;
import dev.harp.spi.Attachments;
import dev.harp.spi.Exchange;
import dev.harp.spi.Failure;
import dev.harp.spi.FailureType;
import dev.harp.spi.Filter;
import dev.harp.spi.Next;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A proxy's {@code auth:} block as a filter, after {@code ban} and {@code capture}. In order: removes identity
 * headers clients must not set, matches the path the way every feature's rules see it
 * ({@link dev.harp.http.CanonicalPath}), checks an API key if one is sent, then (unless the path is public) the
 * session through forward auth, and finally arranges the upstream credentials. Plain requests and WebSocket upgrades
 * alike. Header edits go to the request itself ({@link Exchange#editRequestHeaders}), so every later filter reads
 * the identity auth established, never a spoofed one; injected credentials only to what goes upstream.
 */
final class AuthFilter implements Filter {

  static final FailureType UNAUTHORIZED = ProxyFailure.UNAUTHORIZED.failureType();
  static final FailureType FORBIDDEN = ProxyFailure.FORBIDDEN.failureType();
  /** The auth endpoint failed or timed out: never an open door. */
  static final FailureType UNAVAILABLE = ProxyFailure.AUTH_UNAVAILABLE.failureType();

  private static final Logger LOG = LoggerFactory.getLogger(AuthFilter.class);

  private final AuthConfig config;
  private final KeyStore keys;
  private final SessionCache sessions;
  private final AuthEndpoint endpoint;
  private final AuthMetrics metrics;
  /** Lowercase names removed from every client request. */
  private final List<String> reserved = new ArrayList<>();
  private final List<Injection.QueryParam> queryInjections = new ArrayList<>();
  private final MultiMap headerInjections = MultiMap.caseInsensitiveMultiMap();

  AuthFilter(AuthConfig config, KeyStore keys, SessionCache sessions, AuthEndpoint endpoint, AuthMetrics metrics) {
    this.config = config;
    this.keys = keys;
    this.sessions = sessions;
    this.endpoint = endpoint;
    this.metrics = metrics;
    config.forward().ifPresent(f -> f.identityHeaders().forEach(h -> reserved.add(h.toLowerCase(Locale.ROOT))));
    config.apiKeys().ifPresent(k -> reserved.add(k.consumerHeader().toLowerCase(Locale.ROOT)));
    for (Injection i : config.inject()) {
      if (i instanceof Injection.Header h) {
        headerInjections.set(h.name(), h.value());
      } else if (i instanceof Injection.Bearer b) {
        headerInjections.set("Authorization", "Bearer " + b.token());
      } else if (i instanceof Injection.Basic b) {
        headerInjections.set("Authorization", b.headerValue());
      } else if (i instanceof Injection.QueryParam q) {
        queryInjections.add(q);
      }
    }
  }

  /** Upgrades too: a WebSocket handshake is authenticated and gets the upstream's credentials like any request. */
  @Override
  public boolean handlesUpgrades() {
    return true;
  }

  @Override
  public void onRequest(Exchange ex, Next next) {
    if (!reserved.isEmpty()) {
      ex.editRequestHeaders(headers -> {
        for (String name : reserved) {
          headers.remove(name); // spoofed identity: only HARP sets these
        }
      });
    }
    Access access = config.access();
    if (!config.rules().isEmpty()) {
      // Read before the pipeline (FilterContext#requireCanonicalPaths): an ambiguous path never gets here.
      access = accessOf(ex.canonicalPath());
    }
    String key = config.apiKeys().isPresent() ? takeApiKey(ex, config.apiKeys().get()) : null;
    injectCredentials(ex);
    if (key != null) {
      checkApiKey(ex, next, key, access); // a key sent is always checked, on public paths too: a wrong one is a bug
    } else if (access == Access.PUBLIC) {
      metrics.outcome(Outcome.PUBLIC);
      next.proceed();
    } else if (config.forward().isPresent()) {
      checkSession(ex, next, config.forward().get(), access);
    } else {
      refuse(ex, "an API key is required");
    }
  }

  private Access accessOf(String canonicalPath) {
    for (AuthConfig.RouteRule rule : config.rules()) {
      if (rule.compiled().matches(canonicalPath)) {
        return rule.access();
      }
    }
    return config.access();
  }

  /** The key the client sent (header first, then query), removed from what goes upstream; null if none. */
  private static String takeApiKey(Exchange ex, AuthConfig.ApiKeys apiKeys) {
    String key = ex.headers().get(apiKeys.header());
    if (key != null) {
      ex.editRequestHeaders(headers -> headers.remove(apiKeys.header()));
      if (key.regionMatches(true, 0, "Bearer ", 0, 7)) {
        key = key.substring(7);
      }
      key = key.trim();
    }
    if (apiKeys.queryParam().isPresent()) {
      String name = apiKeys.queryParam().get();
      String fromQuery = QueryParams.first(ex.upstreamUri(), name);
      if (fromQuery != null) {
        ex.upstreamUri(QueryParams.remove(ex.upstreamUri(), name));
        key = key == null ? fromQuery : key;
      }
    }
    return key == null || key.isEmpty() ? null : key;
  }

  private void checkApiKey(Exchange ex, Next next, String key, Access access) {
    ApiKeyRecord record = keys.find(KeyHash.sha256Hex(key));
    AuthConfig.ApiKeys apiKeys = config.apiKeys().get();
    if (record == null || record.revoked()) {
      ex.responseHeaders().set("WWW-Authenticate", "ApiKey header=\"" + apiKeys.header() + "\"");
      refuse(ex, "unknown or revoked API key");
      return;
    }
    if (!apiKeys.allow().isEmpty() && !apiKeys.allow().contains(record.consumer())) {
      forbid(ex, "consumer '" + record.consumer() + "' may not use this API");
      return;
    }
    if (access == Access.ADMIN && !isAdmin(record.groups())) {
      forbid(ex, "consumer '" + record.consumer() + "' is not in an admin group");
      return;
    }
    ex.put(Attachments.CONSUMER, record.consumer());
    ex.put(AuthAttributes.KEY_ID, record.id());
    ex.put(AuthAttributes.IDENTITY, new Identity(record.consumer(), record.groups(), Identity.Source.API_KEY));
    ex.editRequestHeaders(headers -> headers.set(apiKeys.consumerHeader(), record.consumer()));
    metrics.outcome(Outcome.API_KEY);
    metrics.consumer(record.consumer());
    next.proceed();
  }

  private void checkSession(Exchange ex, Next next, AuthConfig.Forward forward, Access access) {
    SessionCredentials credentials = SessionCredentials.from(ex.headers(), forward);
    if (credentials.isEmpty()) {
      unauthenticated(ex, forward, "no session");
      return;
    }
    Context context = Vertx.currentContext();
    sessions.decide(credentials.cacheKey(forward), forward, context,
            () -> endpoint.check(credentials, ex.requestId()))
        .onComplete(ar -> {
          if (ar.failed()) {
            metrics.outcome(Outcome.UNAVAILABLE);
            ex.fail(Failure.of(UNAVAILABLE, "session check failed"), ar.cause());
            return;
          }
          metrics.lookup(ar.result().source());
          Decision decision = ar.result().decision();
          if (decision instanceof Decision.Allowed allowed) {
            admitSession(ex, next, allowed, access);
          } else if (decision instanceof Decision.Denied denied && denied.status() == 403) {
            forbid(ex, "the auth endpoint refused this session");
          } else if (decision instanceof Decision.Denied) {
            unauthenticated(ex, forward, "the auth endpoint refused this session");
          } else {
            metrics.outcome(Outcome.UNAVAILABLE);
            LOG.atWarn().addKeyValue("requestId", ex.requestId()).addKeyValue("proxy", ex.proxyName())
                .log("auth endpoint {} unavailable: {}", forward.url().url(),
                    ((Decision.Unavailable) decision).reason());
            ex.fail(Failure.of(UNAVAILABLE, "the auth endpoint is unavailable"), null);
          }
        });
  }

  private void admitSession(Exchange ex, Next next, Decision.Allowed allowed, Access access) {
    if (access == Access.ADMIN && !isAdmin(allowed.groups())) {
      forbid(ex, "not in an admin group");
      return;
    }
    ex.editRequestHeaders(headers -> allowed.identityHeaders().forEach(headers::set));
    String name = allowed.user() == null ? "" : allowed.user();
    ex.put(AuthAttributes.IDENTITY, new Identity(name, allowed.groups(), Identity.Source.SESSION));
    metrics.outcome(Outcome.SESSION);
    next.proceed();
  }

  private boolean isAdmin(List<String> groups) {
    for (String g : groups) {
      if (config.adminGroups().contains(g)) {
        return true;
      }
    }
    return false;
  }

  /** 401, or for a browser's page request a redirect to the login page when one is configured. */
  private void unauthenticated(Exchange ex, AuthConfig.Forward forward, String detail) {
    String accept = ex.headers().get(HttpHeaders.ACCEPT);
    boolean page = (ex.method() == HttpMethod.GET || ex.method() == HttpMethod.HEAD) && !ex.isUpgrade()
        && accept != null && accept.contains("text/html");
    if (page && forward.loginUrl().isPresent()) {
      metrics.outcome(Outcome.UNAUTHORIZED);
      String login = forward.loginUrl().get();
      // Proxy listeners speak plain HTTP (TLS ends in front of HARP); should they gain TLS, the SPI needs the scheme.
      String original = "http://" + ex.headers().get(HttpHeaders.HOST) + ex.uri();
      String location = login + (login.indexOf('?') < 0 ? "?" : "&") + "rd=" + QueryParams.encode(original);
      ex.respond(302, MultiMap.caseInsensitiveMultiMap().add("Location", location).add("Cache-Control", "no-store"),
          null);
      return;
    }
    refuse(ex, detail);
  }

  /** Logged like every failed exchange ({@link Exchange#fail}), as auth's refusals always were. */
  private void refuse(Exchange ex, String detail) {
    metrics.outcome(Outcome.UNAUTHORIZED);
    ex.fail(Failure.of(UNAUTHORIZED, detail), null);
  }

  private void forbid(Exchange ex, String detail) {
    metrics.outcome(Outcome.FORBIDDEN);
    ex.fail(Failure.of(FORBIDDEN, detail), null);
  }

  /** The upstream's own credentials, added where no later filter (cache keys, logs) sees them. */
  private void injectCredentials(Exchange ex) {
    if (!headerInjections.isEmpty()) {
      // Field by field: MultiMap.setAll would first clear everything HARP built for the upstream.
      ex.editUpstreamHeaders(upstream -> headerInjections.forEach(upstream::set));
    }
    for (Injection.QueryParam q : queryInjections) {
      ex.upstreamUri(QueryParams.replace(ex.upstreamUri(), q.name(), q.value()));
    }
  }
}
