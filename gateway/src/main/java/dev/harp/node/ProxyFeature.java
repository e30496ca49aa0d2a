package dev.harp.node;

import io.vertx.core.Future;

/**
 * The node's internal start-up hook, found with {@link java.util.ServiceLoader} and started in {@link #order()}
 * before the proxies listen: today only the engine's {@link dev.harp.engine.FilterFeature}, which creates every SPI
 * filter (HARP's own and plugins'). Where a stage sits in a proxy's pipeline is set by placements
 * ({@link dev.harp.engine.BuiltinFilters}), not by this order.
 */
public interface ProxyFeature {

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
