package dev.harp.engine;

import dev.harp.node.NodeContext;
import dev.harp.node.ProxyFeature;
import dev.harp.spi.Filter;
import dev.harp.spi.FilterFactory;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates each proxy's SPI filters (one per filter block, with the factory that read it) as named stages of its
 * chain. Their place among HARP's own stages is set afterwards, by the node, from the placements
 * ({@link Pipelines#order}); this feature's own {@link #order} only says when it starts.
 */
public final class FilterFeature implements ProxyFeature {

  private static final Logger LOG = LoggerFactory.getLogger(FilterFeature.class);

  /** The factories that created a filter on this node, each once, for {@link #stop}. */
  private final Set<FilterFactory<?>> created = Collections.newSetFromMap(new IdentityHashMap<>());

  @Override
  public int order() {
    return Integer.MAX_VALUE;
  }

  /** Creates the filters off the event loops: a factory may block (HARP's ban configures Hazelcast maps). */
  @Override
  public Future<Void> start(NodeContext node) {
    return node.vertx().executeBlocking(() -> {
      for (ProxyRuntime runtime : node.proxies().values()) {
        createFilters(node, runtime, created);
      }
      return null;
    });
  }

  /** Lets every factory that created a filter release what it took; one that fails does not stop the others. */
  @Override
  public Future<Void> stop() {
    List<Future<Void>> stopping = new ArrayList<>();
    synchronized (created) {
      for (FilterFactory<?> factory : created) {
        Future<Void> stopped;
        try {
          stopped = factory.stop();
        } catch (RuntimeException | LinkageError e) {
          stopped = Future.failedFuture(e);
        }
        stopping.add(stopped.onFailure(t -> LOG.warn("filter '{}' did not stop cleanly: {}", factory.name(),
            t.toString())));
      }
    }
    return Future.join(stopping).mapEmpty();
  }

  private static void createFilters(NodeContext node, ProxyRuntime runtime, Set<FilterFactory<?>> created) {
    Map<Class<?>, Object> services = NodeFilterContext.servicesOf(node, runtime.config());
    for (Object block : runtime.config().features().values()) {
      if (!(block instanceof FilterBlock fb)) {
        continue;
      }
      String name = fb.factory().name();
      Filter filter;
      try {
        filter = fb.factory().create(fb.config(), new NodeFilterContext(node.vertx(), node.nodeName(),
            runtime.name(), name, node.metrics(), services, runtime::matchPaths));
      } catch (RuntimeException | LinkageError e) {
        throw new PluginException(FilterFactories.origin(fb.factory().getClass()),
            "filter '" + name + "' could not be created for proxy '" + runtime.name() + "': " + e, e);
      }
      if (filter == null) {
        throw new PluginException(FilterFactories.origin(fb.factory().getClass()),
            "filter '" + name + "' created no filter for proxy '" + runtime.name() + "'");
      }
      synchronized (created) {
        created.add(fb.factory());
      }
      FilterStage stage = new FilterStage(name, filter);
      runtime.addInterceptor(name, stage);
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
