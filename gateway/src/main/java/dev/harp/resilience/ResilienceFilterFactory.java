package dev.harp.resilience;

import com.hazelcast.core.HazelcastInstance;
import dev.harp.config.ProxyConfig;
import dev.harp.engine.ConfigBlocks;
import dev.harp.spi.ConfigBlock;
import dev.harp.spi.Filter;
import dev.harp.spi.FilterContext;
import dev.harp.spi.FilterFactory;
import dev.harp.spi.Placement;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

import java.util.List;
import java.util.Set;

/**
 * Resilience (docs/resilience.md) as a filter found through the SPI like any other: endpoint health, maintenance
 * overrides, outlier ejection, shared circuit breakers and retries with a budget, at the attempt phase next to the
 * balancer. It reads four blocks of a proxy ({@code retry:}, {@code circuitBreaker:}, {@code health:},
 * {@code outlier:}) and is on for a proxy with any of them or a fallback pool. The node-wide parts (cluster state,
 * prober, events, the admin API under {@code /api/proxies/{proxy}/endpoints}) are made once, by the first proxy's
 * filter.
 */
public final class ResilienceFilterFactory implements FilterFactory<ResilienceSettings> {

  public static final String NAME = "resilience";
  /** What a proxy without resilience gets: nothing at any phase, so it keeps the engine's plain attempt path. */
  private static final Filter NONE = new Filter() {
  };

  /** The node's resilience machinery; the node makes one factory, and creates its filters one after the other. */
  private ResilienceNode node;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<String> configKeys() {
    return ResilienceSettings.KEYS;
  }

  /** It acts on attempts only, as the last chooser before the balancer: inside every plugin's choice. */
  @Override
  public Placement placement() {
    return Placement.nextToBalancer();
  }

  @Override
  public ResilienceSettings read(ConfigBlock proxy) {
    return ResilienceSettings.read(ConfigBlocks.node(proxy));
  }

  /**
   * A proxy without the blocks may still need resilience (a fallback pool), which only its config tells; and the
   * admin API lists every proxy's endpoints.
   */
  @Override
  public ResilienceSettings withoutBlock() {
    return ResilienceSettings.NONE;
  }

  @Override
  public synchronized Filter create(ResilienceSettings blocks, FilterContext context) {
    if (node == null) {
      node = ResilienceNode.start(context.vertx(), context.nodeName(), context.service(HazelcastInstance.class),
          context.service(MeterRegistry.class), context.service(Router.class));
    }
    ProxyConfig config = context.service(ProxyConfig.class);
    List<EndpointInfo> endpoints = EndpointInfo.of(context.endpoints(), config);
    ResilienceSettings settings = blocks.effective(!config.upstream().fallback().isEmpty());
    if (settings == null) {
      node.plain(config.name(), endpoints);
      return NONE;
    }
    return node.guard(config, settings, endpoints);
  }

  @Override
  public synchronized Future<Void> stop() {
    return node == null ? Future.succeededFuture() : node.stop();
  }
}
