package dev.harp.engine;

import dev.harp.spi.Filter;
import dev.harp.spi.FilterFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node's filters: creates each proxy's SPI filters (one per filter block, with the factory that read it, HARP's
 * built-ins and plugins alike) as named stages of its chain, joins those that act on attempts to the proxy's attempt
 * phase, puts the stages in pipeline order ({@link #arrange}), and closes and stops them all when the node stops.
 */
public final class NodeFilters {

  private static final Logger LOG = LoggerFactory.getLogger(NodeFilters.class);

  /** The factories that created a filter on this node, each once, for {@link #stop}. */
  private final Set<FilterFactory<?>> factories = Collections.newSetFromMap(new IdentityHashMap<>());
  /** Every filter this node created, closed at {@link #stop}. */
  private final List<Filter> filters = new ArrayList<>();
  private Vertx vertx;

  /** Creates the filters off the event loops: a factory may block (HARP's ban configures Hazelcast maps). */
  public Future<Void> start(NodeServices node) {
    vertx = node.vertx();
    return node.vertx().executeBlocking(() -> {
      for (ProxyRuntime runtime : node.proxies().values()) {
        createFilters(node, runtime);
      }
      return null;
    });
  }

  /**
   * Closes every filter, then lets every factory that created one release what it took; one that fails does not
   * stop the others.
   */
  public Future<Void> stop() {
    if (vertx == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      synchronized (this) {
        for (Filter f : filters) {
          try {
            f.close();
          } catch (RuntimeException | LinkageError e) {
            LOG.warn("a filter did not close cleanly: {}", e.toString());
          }
        }
      }
      return null;
    }).compose(v -> {
      List<Future<Void>> stopping = new ArrayList<>();
      synchronized (this) {
        for (FilterFactory<?> factory : factories) {
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
    });
  }

  private void createFilters(NodeServices node, ProxyRuntime runtime) {
    Map<Class<?>, Object> services = NodeFilterContext.servicesOf(node, runtime);
    for (Object block : runtime.config().features().values()) {
      if (!(block instanceof FilterBlock fb)) {
        continue;
      }
      String name = fb.factory().name();
      Filter filter;
      try {
        filter = fb.factory().create(fb.config(), new NodeFilterContext(node.vertx(), node.nodeName(),
            runtime.name(), name, node.metrics(), services, runtime::matchPaths, runtime.endpoints()));
      } catch (RuntimeException | LinkageError e) {
        throw new PluginException(FilterFactories.origin(fb.factory().getClass()),
            "filter '" + name + "' could not be created for proxy '" + runtime.name() + "': " + e, e);
      }
      if (filter == null) {
        throw new PluginException(FilterFactories.origin(fb.factory().getClass()),
            "filter '" + name + "' created no filter for proxy '" + runtime.name() + "'");
      }
      synchronized (this) {
        factories.add(fb.factory());
        filters.add(filter);
      }
      if (fb.factory().placement().attemptPhaseOnly()) {
        // Attempt phase only, innermost: no stage in the request pipeline. One that does nothing there (resilience
        // on a proxy without it) leaves the proxy its plain attempt path.
        if (AttemptFilters.actsOnAttempts(filter)) {
          runtime.addAttemptFilter(filter, true);
        }
        continue;
      }
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
