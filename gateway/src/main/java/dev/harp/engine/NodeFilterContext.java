package dev.harp.engine;

import com.hazelcast.core.HazelcastInstance;
import dev.harp.config.HarpConfig;
import dev.harp.config.ProxyConfig;
import dev.harp.spi.Endpoint;
import dev.harp.spi.FilterContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** A node's {@link FilterContext} for one proxy; counters go to the node's registry as {@code harp_filter_*}. */
final class NodeFilterContext implements FilterContext {

  private static final Pattern METRIC = Pattern.compile("[a-z][a-z0-9]*(_[a-z0-9]+)*");

  private final Vertx vertx;
  private final String nodeName;
  private final String proxyName;
  private final String filterName;
  private final MeterRegistry registry;
  /** What {@link #service} offers, by type. */
  private final Map<Class<?>, Object> services;
  /** The proxy's {@link ProxyRuntime#matchPaths}. */
  private final Runnable matchPaths;
  private final List<Endpoint> endpoints;

  NodeFilterContext(Vertx vertx, String nodeName, String proxyName, String filterName, MeterRegistry registry,
                    Map<Class<?>, Object> services, Runnable matchPaths, List<? extends Endpoint> endpoints) {
    this.vertx = vertx;
    this.nodeName = nodeName;
    this.proxyName = proxyName;
    this.filterName = filterName;
    this.registry = registry;
    this.services = services;
    this.matchPaths = matchPaths;
    this.endpoints = List.copyOf(endpoints);
  }

  @Override
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  /**
   * The services a node offers the filters of one proxy (see {@link FilterContext#service}); HARP's own filters also
   * get the proxy's {@link ProxyConfig} and {@link ProxyRuntime} and the node's {@link HarpConfig} (auth's top-level
   * {@code consumers}); a plugin, compiled against the SPI alone, has no use for them.
   */
  static Map<Class<?>, Object> servicesOf(NodeServices node, ProxyRuntime proxy) {
    return Map.of(HazelcastInstance.class, node.hazelcast(), MeterRegistry.class, node.metrics(),
        Router.class, node.adminRouter(), ProxyConfig.class, proxy.config(), ProxyRuntime.class, proxy,
        HarpConfig.class, node.config());
  }

  @Override
  public <T> T service(Class<T> type) {
    Object service = services.get(type);
    return service == null ? null : type.cast(service);
  }

  @Override
  public void requireCanonicalPaths() {
    matchPaths.run();
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public String nodeName() {
    return nodeName;
  }

  @Override
  public String proxyName() {
    return proxyName;
  }

  @Override
  public Runnable counter(String name, String... labels) {
    if (!METRIC.matcher(name).matches()) {
      throw new IllegalArgumentException("filter " + filterName + ": counter name '" + name
          + "' must be lowercase words joined by '_'");
    }
    if (labels.length % 2 != 0) {
      throw new IllegalArgumentException("filter " + filterName + ": counter " + name
          + " needs label names and values in pairs");
    }
    Counter.Builder b = Counter.builder("harp_filter_" + name).tag("proxy", proxyName);
    for (int i = 0; i < labels.length; i += 2) {
      b.tag(labels[i], labels[i + 1]);
    }
    Counter counter = b.register(registry);
    return counter::increment;
  }
}
