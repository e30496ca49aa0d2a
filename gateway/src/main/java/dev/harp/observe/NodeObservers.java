package dev.harp.observe;

import dev.harp.config.HarpConfig;
import dev.harp.proxy.ProxyRuntime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Wires the node's observers onto each proxy: Prometheus meters now; traffic events, per-second stats and the
 * access log attach here too.
 */
public final class NodeObservers {

  private final Vertx vertx;
  private final HarpConfig config;
  private final HarpMetrics metrics;

  public NodeObservers(Vertx vertx, HarpConfig config, HarpMetrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.metrics = metrics;
  }

  public void attach(ProxyRuntime runtime) {
    runtime.addListener(new ProxyMetrics(metrics.registry(), runtime.name()));
  }

  public Future<Void> start() {
    return Future.succeededFuture();
  }

  public Future<Void> stop() {
    return Future.succeededFuture();
  }
}
