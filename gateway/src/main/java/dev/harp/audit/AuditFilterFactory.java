package dev.harp.audit;

import dev.harp.config.AuditConfig;
import dev.harp.config.ConfigNode;
import dev.harp.config.HarpConfig;
import dev.harp.engine.BuiltinFilters;
import dev.harp.engine.ConfigBlocks;
import dev.harp.spi.ConfigBlock;
import dev.harp.spi.Filter;
import dev.harp.spi.FilterContext;
import dev.harp.spi.FilterFactory;
import dev.harp.spi.Placement;
import io.vertx.core.Future;

import java.util.Set;

/**
 * The audit trail's entry point, through the same SPI as any plugin: a filter on every proxy that hands each completed
 * exchange to the node's store ({@link AuditFilter}). It sits first, so an exchange a later filter refuses (a ban, a
 * 401, a 429) is recorded too. The node-wide parts (store, keys, checkpoints, witness, admin API) are made once, by
 * the first proxy's filter, when the top-level {@code audit:} block turns the trail on. A proxy's own
 * {@code audit: {enabled: false}} leaves it out.
 */
public final class AuditFilterFactory implements FilterFactory<AuditFilterFactory.ProxySettings> {

  public static final String KEY = "audit";

  /** Whether this proxy's exchanges are recorded (when the node records any). */
  public record ProxySettings(boolean enabled) {
  }

  private static final ProxySettings ON = new ProxySettings(true);
  private AuditNode node;

  @Override
  public String name() {
    return KEY;
  }

  @Override
  public Placement placement() {
    return BuiltinFilters.placement(BuiltinFilters.AUDIT);
  }

  @Override
  public ProxySettings read(ConfigBlock block) {
    ConfigNode n = ConfigBlocks.node(block);
    n.allowOnly(Set.of("enabled"));
    return new ProxySettings(n.bool("enabled", true));
  }

  @Override
  public ProxySettings withoutBlock() {
    return ON;
  }

  /** Runs on a worker (the engine creates filters off the event loops): opening the store may block. */
  @Override
  public synchronized Filter create(ProxySettings settings, FilterContext context) {
    HarpConfig config = context.service(HarpConfig.class);
    AuditConfig audit = config == null ? null : config.audit().orElse(null);
    if (audit == null || !settings.enabled()) {
      return new Filter() { }; // no phase: the engine passes exchanges on without a look
    }
    if (node == null) {
      node = AuditNode.start(context, config, audit);
    }
    return new AuditFilter(node.recorder(context.proxyName()));
  }

  @Override
  public synchronized Future<Void> stop() {
    return node == null ? Future.succeededFuture() : node.stop();
  }
}
