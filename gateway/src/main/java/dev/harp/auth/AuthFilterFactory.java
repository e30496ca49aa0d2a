package dev.harp.auth;

import com.hazelcast.core.HazelcastInstance;
import dev.harp.config.HarpConfig;
import dev.harp.engine.ConfigBlocks;
import dev.harp.spi.ConfigBlock;
import dev.harp.spi.Filter;
import dev.harp.spi.FilterContext;
import dev.harp.spi.FilterFactory;
import dev.harp.spi.Placement;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;

import java.util.Set;

/**
 * Sessions and access (docs/auth.md) as a filter on every proxy with an {@code auth:} block, through the same SPI as
 * any plugin. The node-wide parts (session cache, key store, auth-endpoint client, admin API) are made once, by the
 * first proxy's filter; the top-level {@code consumers} seed the key store.
 */
public final class AuthFilterFactory implements FilterFactory<AuthConfig> {

  private final AuthBlockReader reader = new AuthBlockReader();
  /** The node's auth machinery; the node makes one factory, and creates its filters one after the other. */
  private AuthNode node;

  @Override
  public String name() {
    return AuthBlockReader.KEY;
  }

  /**
   * After ban (a banned client costs no auth call) and capture (the preview shows the request as the client sent
   * it); before rules, rate limits and the cache, which act on the identity auth established.
   */
  @Override
  public Placement placement() {
    return new Placement(Set.of("ban", "capture"), Set.of("rules", "rate-limit", "cache"));
  }

  @Override
  public AuthConfig read(ConfigBlock block) {
    return reader.read(ConfigBlocks.node(block).mapping());
  }

  @Override
  public synchronized Filter create(AuthConfig config, FilterContext context) {
    if (node == null) {
      node = AuthNode.start(context.vertx(), context.service(HazelcastInstance.class), context.service(Router.class),
          context.service(HarpConfig.class));
    }
    if (!config.rules().isEmpty()) {
      context.requireCanonicalPaths(); // route rules must see the path the way the upstream will act on it
    }
    return new AuthFilter(config, node.keys, node.sessions,
        config.forward().map(f -> new AuthEndpoint(node.client, f)).orElse(null),
        new AuthMetrics(context.service(MeterRegistry.class), context.proxyName()));
  }

  @Override
  public synchronized Future<Void> stop() {
    return node == null ? Future.succeededFuture() : node.stop();
  }
}
