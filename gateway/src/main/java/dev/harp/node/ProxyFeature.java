package dev.harp.node;

import io.vertx.core.Future;

/**
 * Extension point for a feature that plugs into every proxy (auth, bans, rate limit, cache, resilience). Found with
 * {@link java.util.ServiceLoader}; started in {@link #order()} before the proxies listen, so the interceptors each
 * feature adds to a {@link dev.harp.engine.ProxyRuntime} run in that order:
 * {@code ban check → auth → rate limit → cache lookup → breaker + retry → upstream}.
 */
public interface ProxyFeature {

  /** First: a banned client is refused before any other work, auth calls included (issue 4). */
  int ORDER_BAN = 50;
  int ORDER_AUTH = 100;
  int ORDER_RATE_LIMIT = 300;
  int ORDER_CACHE = 400;
  int ORDER_RESILIENCE = 500;

  /** Position in the interceptor chain: lower runs first. */
  int order();

  /**
   * Attaches the feature to the proxies whose config has its block (and to the admin API). Runs on the node's
   * start-up path, off any event loop; it may call Hazelcast, but must not block request handling later.
   */
  Future<Void> start(NodeContext node);

  /** Releases what {@link #start} took (timers, listeners), after the proxies drained. */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }
}
