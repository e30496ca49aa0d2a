package dev.harp.cache;

import com.hazelcast.core.HazelcastInstance;
import dev.harp.config.ProxyConfig;
import dev.harp.engine.BuiltinFilters;
import dev.harp.engine.ConfigBlocks;
import dev.harp.spi.ConfigBlock;
import dev.harp.spi.Filter;
import dev.harp.spi.FilterContext;
import dev.harp.spi.FilterFactory;
import dev.harp.spi.Placement;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

import java.time.Clock;

/**
 * The HTTP cache (docs/cache.md) as a filter on every proxy with a {@code cache:} block, through the same SPI as any
 * plugin. The node-wide parts (purge executor and admin API, map statistics) are made once, by the first proxy's
 * filter; each proxy gets its own Hazelcast map and meters.
 */
public final class CacheFilterFactory implements FilterFactory<CacheSettings> {

  /**
   * The clock every cache in this JVM reads for ages and freshness. Tests replace it (before starting nodes) to move
   * time without sleeping; Hazelcast TTLs stay on real time, which only keeps entries longer than needed.
   */
  static volatile Clock clock = Clock.systemUTC();

  private final CacheBlockReader reader = new CacheBlockReader();
  /** The node's cache machinery; the node makes one factory, and creates its filters one after the other. */
  private CacheNode node;

  @Override
  public String name() {
    return BuiltinFilters.CACHE;
  }

  /** After rate limits (a hit still spends budget, and passed auth): the last of HARP's request filters. */
  @Override
  public Placement placement() {
    return BuiltinFilters.placement(BuiltinFilters.CACHE);
  }

  @Override
  public CacheSettings read(ConfigBlock block) {
    return reader.read(ConfigBlocks.node(block).mapping());
  }

  /** Configures the proxy's map (blocking Hazelcast calls: the node creates filters off the event loops). */
  @Override
  public synchronized Filter create(CacheSettings settings, FilterContext context) {
    if (node == null) {
      node = CacheNode.start(context.vertx(), context.service(HazelcastInstance.class),
          context.service(Router.class));
    }
    ProxyConfig proxy = context.service(ProxyConfig.class);
    ProxyCache cache = node.attach(context.proxyName(), settings, context.service(MeterRegistry.class), clock,
        proxy != null && proxy.preserveHost());
    return new CacheFilter(cache, node.purges);
  }

  @Override
  public synchronized Future<Void> stop() {
    if (node != null) {
      node.stop();
    }
    return Future.succeededFuture();
  }
}
