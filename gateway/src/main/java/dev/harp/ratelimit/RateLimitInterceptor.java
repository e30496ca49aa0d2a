package dev.harp.ratelimit;

import dev.harp.net.ClientAddresses;
import dev.harp.engine.ProxyExchange;
import dev.harp.engine.ProxyFailure;
import dev.harp.engine.ProxyInterceptor;
import io.vertx.core.MultiMap;

import java.util.List;

/**
 * Checks a request against the first route policy that covers it (matched on the canonical path, like every
 * feature's path rules), then the proxy-wide policy; both must admit. A
 * refusal by the route policy never charges the proxy-wide one. Every response carries the RateLimit headers of the
 * policies it was checked against; a refusal is a 429 problem with Retry-After.
 */
final class RateLimitInterceptor implements ProxyInterceptor {

  private final List<PolicyRuntime> routes;
  private final PolicyRuntime proxyWide;
  private final ClientAddresses clients;

  RateLimitInterceptor(List<PolicyRuntime> routes, PolicyRuntime proxyWide, ClientAddresses clients) {
    this.routes = List.copyOf(routes);
    this.proxyWide = proxyWide;
    this.clients = clients;
  }

  @Override
  public void onRequest(ProxyExchange exchange) {
    PolicyRuntime route = null;
    if (!routes.isEmpty()) {
      String method = exchange.request().method().name();
      String path = exchange.canonicalPath(); // this proxy matches paths: set, never ambiguous
      for (PolicyRuntime r : routes) {
        if (r.covers(method, path)) {
          route = r;
          break;
        }
      }
    }
    if (route != null) {
      check(exchange, route, proxyWide);
    } else if (proxyWide != null) {
      check(exchange, proxyWide, null);
    } else {
      exchange.proceed();
    }
  }

  private void check(ProxyExchange exchange, PolicyRuntime policy, PolicyRuntime next) {
    String key = RateLimitKeys.of(policy.policy(), exchange, clients);
    policy.limiter().decide(key, decision -> decided(exchange, policy, next, decision));
  }

  private void decided(ProxyExchange exchange, PolicyRuntime policy, PolicyRuntime next, Decision decision) {
    policy.meters().decided(decision);
    MultiMap headers = exchange.request().response().headers();
    headers.add(RateLimitHeaders.POLICY, policy.policyHeader());
    if (decision instanceof Decision.Admitted admitted) {
      if (admitted.quota() != null) {
        headers.add(RateLimitHeaders.STATE, policy.stateHeader(admitted.quota()));
      }
      if (next != null) {
        check(exchange, next, null);
      } else {
        exchange.proceed();
      }
    } else if (decision instanceof Decision.Limited limited) {
      headers.add(RateLimitHeaders.STATE, policy.stateHeader(limited.quota()));
      long seconds = Math.max(1, RateLimitHeaders.seconds(limited.retryAfterNanos()));
      headers.set("Retry-After", Long.toString(seconds));
      exchange.reject(ProxyFailure.RATE_LIMITED, ProxyFailure.RATE_LIMITED.status,
          "rate limit '" + policy.blockingLimit(limited.quota()) + "' exceeded; retry in " + seconds + " s", null);
    } else if (decision instanceof Decision.Unavailable unavailable) {
      headers.set("Retry-After", "1");
      exchange.reject(ProxyFailure.RATE_LIMIT_UNAVAILABLE, ProxyFailure.RATE_LIMIT_UNAVAILABLE.status,
          "the cluster could not decide the rate limit (" + unavailable.reason()
              + ") and the policy says onClusterFailure: deny", null);
    }
  }
}
