package dev.harp.ratelimit;

import dev.harp.engine.ProxyFailure;
import dev.harp.spi.Exchange;
import dev.harp.spi.Failure;
import dev.harp.spi.FailureType;
import dev.harp.spi.Filter;
import dev.harp.spi.Next;
import io.vertx.core.MultiMap;

import java.util.List;

/**
 * Checks a request against the first route policy that covers it (matched on the canonical path, like every
 * feature's path rules), then the proxy-wide policy; both must admit. A
 * refusal by the route policy never charges the proxy-wide one. Every response carries the RateLimit headers of the
 * policies it was checked against; a refusal is a 429 problem with Retry-After. A filter through the SPI
 * ({@link RateLimitFilterFactory}); the decisions are the cluster's ({@link Limiter}).
 */
final class RateLimitFilter implements Filter {

  private static final FailureType LIMITED = ProxyFailure.RATE_LIMITED.failureType();
  private static final FailureType UNAVAILABLE = ProxyFailure.RATE_LIMIT_UNAVAILABLE.failureType();

  private final List<PolicyRuntime> routes;
  private final PolicyRuntime proxyWide;
  /** Stopped when the node stops (its sync and sweep timers). */
  private final Runnable onClose;

  RateLimitFilter(List<PolicyRuntime> routes, PolicyRuntime proxyWide, Runnable onClose) {
    this.routes = List.copyOf(routes);
    this.proxyWide = proxyWide;
    this.onClose = onClose;
  }

  @Override
  public void onRequest(Exchange exchange, Next next) {
    PolicyRuntime route = null;
    if (!routes.isEmpty()) {
      String method = exchange.method().name();
      String path = exchange.canonicalPath(); // this proxy matches paths: set, never ambiguous
      for (PolicyRuntime r : routes) {
        if (r.covers(method, path)) {
          route = r;
          break;
        }
      }
    }
    if (route != null) {
      check(exchange, next, route, proxyWide);
    } else if (proxyWide != null) {
      check(exchange, next, proxyWide, null);
    } else {
      next.proceed();
    }
  }

  @Override
  public boolean handlesUpgrades() {
    return true; // a WebSocket handshake spends budget like any request, as before the SPI
  }

  @Override
  public void close() {
    onClose.run();
  }

  private void check(Exchange exchange, Next proceed, PolicyRuntime policy, PolicyRuntime next) {
    String key = RateLimitKeys.of(policy.policy(), exchange);
    policy.limiter().decide(key, decision -> decided(exchange, proceed, policy, next, decision));
  }

  private void decided(Exchange exchange, Next proceed, PolicyRuntime policy, PolicyRuntime next,
                       Decision decision) {
    policy.meters().decided(decision);
    MultiMap headers = exchange.responseHeaders();
    headers.add(RateLimitHeaders.POLICY, policy.policyHeader());
    if (decision instanceof Decision.Admitted admitted) {
      if (admitted.quota() != null) {
        headers.add(RateLimitHeaders.STATE, policy.stateHeader(admitted.quota()));
      }
      if (next != null) {
        check(exchange, proceed, next, null);
      } else {
        proceed.proceed();
      }
    } else if (decision instanceof Decision.Limited limited) {
      headers.add(RateLimitHeaders.STATE, policy.stateHeader(limited.quota()));
      long seconds = Math.max(1, RateLimitHeaders.seconds(limited.retryAfterNanos()));
      exchange.reject(new Failure(LIMITED,
          "rate limit '" + policy.blockingLimit(limited.quota()) + "' exceeded; retry in " + seconds + " s", seconds));
    } else if (decision instanceof Decision.Unavailable unavailable) {
      exchange.reject(new Failure(UNAVAILABLE, "the cluster could not decide the rate limit ("
          + unavailable.reason() + ") and the policy says onClusterFailure: deny", 1));
    }
  }
}
