package dev.harp.engine;

import dev.harp.node.NodeContext;
import dev.harp.node.ProxyFeature;
import dev.harp.spi.Filter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Creates each proxy's SPI filters (one per filter block, with the factory that read it) as named stages of its
 * chain. Their place among HARP's own stages is set afterwards, by the node, from the placements
 * ({@link Pipelines#order}); this feature's own {@link #order} only says when it starts.
 */
public final class FilterFeature implements ProxyFeature {

  @Override
  public int order() {
    return Integer.MAX_VALUE;
  }

  /** Every filter this node created, to close when it stops. */
  private final List<Filter> created = new CopyOnWriteArrayList<>();
  private Vertx vertx;

  /** Creates the filters off the event loops: a factory may block (HARP's ban configures Hazelcast maps). */
  @Override
  public Future<Void> start(NodeContext node) {
    vertx = node.vertx();
    return node.vertx().executeBlocking(() -> {
      for (ProxyRuntime runtime : node.proxies().values()) {
        createFilters(node, runtime);
      }
      return null;
    });
  }

  @Override
  public Future<Void> stop() {
    if (vertx == null || created.isEmpty()) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      for (Filter f : created) {
        try {
          f.close();
        } catch (RuntimeException e) {
          LoggerFactory.getLogger(FilterFeature.class).warn("a filter failed to close: {}", e.toString());
        }
      }
      return null;
    });
  }

  private void createFilters(NodeContext node, ProxyRuntime runtime) {
    Map<Class<?>, Object> services = NodeFilterContext.servicesOf(node, runtime);
    for (Object block : runtime.config().features().values()) {
      if (!(block instanceof FilterBlock fb)) {
        continue;
      }
      String name = fb.factory().name();
      Filter filter;
      try {
        filter = fb.factory().create(fb.config(), new NodeFilterContext(node.vertx(), node.nodeName(),
            runtime.name(), name, node.metrics(), services));
      } catch (RuntimeException | LinkageError e) {
        throw new PluginException(FilterFactories.origin(fb.factory().getClass()),
            "filter '" + name + "' could not be created for proxy '" + runtime.name() + "': " + e, e);
      }
      if (filter == null) {
        throw new PluginException(FilterFactories.origin(fb.factory().getClass()),
            "filter '" + name + "' created no filter for proxy '" + runtime.name() + "'");
      }
      created.add(filter);
      FilterStage stage = new FilterStage(name, filter);
      runtime.addInterceptor(name, stage);
      if (AttemptFilters.actsOnAttempts(filter)) {
        runtime.addAttemptFilter(filter, false);
      }
      ExchangeListener completions = stage.completionListener();
      if (completions != null) {
        runtime.addListener(completions);
      }
    }
  }

  /** Puts every proxy's named stages in pipeline order; fails on a tie or cycle (the config check missed it). */
  public static void arrange(Iterable<ProxyRuntime> runtimes) {
    for (ProxyRuntime runtime : runtimes) {
      java.util.Set<String> present = new java.util.LinkedHashSet<>(runtime.interceptorNames());
      PipelineOrder.Result order = Pipelines.order(runtime.config(), present);
      if (order instanceof PipelineOrder.Refused refused) {
        throw new IllegalStateException("proxy '" + runtime.name() + "': " + refused.reason());
      }
      runtime.arrange(((PipelineOrder.Ordered) order).names());
    }
  }
}
