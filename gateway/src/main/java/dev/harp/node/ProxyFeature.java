package dev.harp.node;

import io.vertx.core.Future;

/**
 * The node's internal start-up hook for what is not (yet) an SPI filter: the cache and the engine's
 * {@link dev.harp.engine.FilterFeature}, which creates every SPI filter. Found with {@link java.util.ServiceLoader}; started in {@link #order()} before the proxies listen. Where a stage sits in a
 * proxy's pipeline is set by placements ({@link dev.harp.engine.BuiltinFilters}), not by this order.
 */
public interface ProxyFeature {

  int ORDER_CACHE = 400;

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
