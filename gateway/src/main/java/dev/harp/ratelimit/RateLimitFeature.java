package dev.harp.ratelimit;

import dev.harp.net.ClientAddresses;
import dev.harp.node.NodeContext;
import dev.harp.node.ProxyFeature;
import dev.harp.engine.ProxyRuntime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Cluster-wide rate limiting for every proxy with a {@code rateLimit:} block. */
public final class RateLimitFeature implements ProxyFeature {

  private final List<ProxyLimits> proxies = new ArrayList<>();
  private Vertx vertx;

  @Override
  public int order() {
    return ORDER_RATE_LIMIT;
  }

  @Override
  public Future<Void> start(NodeContext node) {
    vertx = node.vertx();
    List<ProxyRuntime> limited = new ArrayList<>();
    for (ProxyRuntime runtime : node.proxies().values()) {
      if (settings(runtime).isPresent()) {
        limited.add(runtime);
      }
    }
    if (limited.isEmpty()) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      List<ProxyLimits> built = new ArrayList<>();
      for (ProxyRuntime runtime : limited) {
        built.add(new ProxyLimits(node.hazelcast(), runtime, settings(runtime).orElseThrow(),
            new RateLimitMetrics(node.metrics(), runtime.name())));
      }
      return built;
    }).onSuccess(built -> {
      for (ProxyLimits p : built) {
        p.start(vertx, ClientAddresses.of(p.runtime().config()));
        proxies.add(p);
      }
    }).mapEmpty();
  }

  private static Optional<RateLimitSettings> settings(ProxyRuntime runtime) {
    return runtime.config().feature(RateLimitReader.KEY);
  }

  @Override
  public Future<Void> stop() {
    proxies.forEach(p -> p.stop(vertx));
    return Future.succeededFuture();
  }
}
