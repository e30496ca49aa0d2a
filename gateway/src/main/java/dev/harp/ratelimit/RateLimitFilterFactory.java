package dev.harp.ratelimit;

import com.hazelcast.core.HazelcastInstance;
import dev.harp.engine.BuiltinFilters;
import dev.harp.engine.ConfigBlocks;
import dev.harp.engine.ProxyRuntime;
import dev.harp.spi.ConfigBlock;
import dev.harp.spi.Filter;
import dev.harp.spi.FilterContext;
import dev.harp.spi.FilterFactory;
import dev.harp.spi.Placement;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Cluster-wide rate limiting for every proxy with a {@code rateLimit:} block, as a filter through the SPI. Named
 * {@code rate-limit} in the pipeline; the block keeps its key {@code rateLimit}.
 */
public final class RateLimitFilterFactory implements FilterFactory<RateLimitSettings> {

  private final RateLimitReader reader = new RateLimitReader();

  @Override
  public String name() {
    return BuiltinFilters.RATE_LIMIT;
  }

  @Override
  public String configKey() {
    return RateLimitReader.KEY;
  }

  /** After auth (limits charge the identified client), before the cache (a hit still spends budget). */
  @Override
  public Placement placement() {
    return BuiltinFilters.placement(BuiltinFilters.RATE_LIMIT);
  }

  @Override
  public RateLimitSettings read(ConfigBlock block) {
    return reader.read(ConfigBlocks.node(block));
  }

  /** Creates the proxy's limiters and their cluster maps (blocking Hazelcast calls: off the event loops). */
  @Override
  public Filter create(RateLimitSettings settings, FilterContext context) {
    ProxyRuntime runtime = context.service(ProxyRuntime.class);
    ProxyLimits limits = new ProxyLimits(context.service(HazelcastInstance.class), runtime, settings,
        new RateLimitMetrics(context.service(MeterRegistry.class), runtime.name()));
    return limits.start(context.vertx());
  }
}
