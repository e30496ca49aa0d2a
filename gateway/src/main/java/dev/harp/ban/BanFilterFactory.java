package dev.harp.ban;

import com.hazelcast.core.HazelcastInstance;
import dev.harp.config.ProxyConfig;
import dev.harp.engine.BuiltinFilters;
import dev.harp.engine.ConfigBlocks;
import dev.harp.net.ClientAddresses;
import dev.harp.spi.ConfigBlock;
import dev.harp.spi.Filter;
import dev.harp.spi.FilterContext;
import dev.harp.spi.FilterFactory;
import dev.harp.spi.Placement;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;

/**
 * Brute-force protection as a filter on every proxy, through the same SPI as any plugin: the check holds on every
 * proxy (a ban made by hand without a proxy covers them all), the failure counting only where a {@code ban:} block
 * asks for it. The node-wide parts (bans, counters, admin API) are made once, by the first proxy's filter.
 */
public final class BanFilterFactory implements FilterFactory<BanSettings> {

  private final BanReader reader = new BanReader();
  /** The node's ban machinery; the node makes one factory, and creates its filters one after the other. */
  private BanNode node;

  @Override
  public String name() {
    return BanReader.KEY;
  }

  /** Before any other work: a banned client costs one lookup. */
  @Override
  public Placement placement() {
    return BuiltinFilters.placement(BuiltinFilters.BAN);
  }

  @Override
  public BanSettings read(ConfigBlock block) {
    return reader.read(ConfigBlocks.node(block));
  }

  @Override
  public BanSettings withoutBlock() {
    return BanSettings.CHECK_ONLY;
  }

  @Override
  public synchronized Filter create(BanSettings settings, FilterContext context) {
    if (node == null) {
      node = BanNode.start(context.vertx(), context.nodeName(), context.service(HazelcastInstance.class),
          context.service(MeterRegistry.class), context.service(Router.class));
    }
    String proxy = context.proxyName();
    if (settings == BanSettings.CHECK_ONLY) {
      node.proxy(proxy, null);
      return new BanFilter(proxy, node, settings.status());
    }
    node.proxy(proxy, settings);
    ProxyConfig config = context.service(ProxyConfig.class);
    FailureCounter counter = new FailureCounter(proxy, settings,
        ClientAddresses.of(config).settings().trustedProxies(), node.failures, node.service, node.metrics);
    return new BanFilter.Counting(proxy, node, settings, counter);
  }
}
