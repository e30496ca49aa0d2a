package dev.harp.resilience;

import dev.harp.node.NodeContext;
import dev.harp.node.ProxyFeature;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resilience for every proxy that asks for it ({@code retry:}, {@code circuitBreaker:}, {@code health:},
 * {@code outlier:} blocks, or a fallback pool): endpoint health, maintenance overrides, outlier ejection, shared
 * circuit breakers and retries with a budget, in the chain just before the upstream call. Also serves the admin API
 * under {@code /api/proxies/{proxy}/endpoints}.
 */
public final class ResilienceFeature implements ProxyFeature {

  private Vertx vertx;
  private String deployment;

  @Override
  public int order() {
    return ORDER_RESILIENCE;
  }

  @Override
  public Future<Void> start(NodeContext node) {
    Map<String, ResilienceSettings> settings = new LinkedHashMap<>();
    node.proxies().forEach((name, runtime) -> {
      ResilienceSettings s = ResilienceSettings.of(runtime.config());
      if (s != null) {
        settings.put(name, s);
      }
    });
    ResilienceVerticle verticle = new ResilienceVerticle(node, settings);
    ResilienceApi.mount(node.adminRouter(), node, verticle);
    if (settings.isEmpty()) {
      return Future.succeededFuture();
    }
    vertx = node.vertx();
    return vertx.deployVerticle(verticle).onSuccess(id -> deployment = id).mapEmpty();
  }

  @Override
  public Future<Void> stop() {
    return deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
  }
}
