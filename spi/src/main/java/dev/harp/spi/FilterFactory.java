package dev.harp.spi;

import io.vertx.core.Future;

import java.util.Set;

/**
 * Makes a {@link Filter} for each proxy whose config has this factory's block. Registered for
 * {@link java.util.ServiceLoader} in {@code META-INF/services/dev.harp.spi.FilterFactory}, in the node's jar or in a
 * plugin jar under {@code plugins/}. A factory is created once per node; it must have a public no-argument
 * constructor.
 *
 * @param <C> the type of its validated config
 */
public interface FilterFactory<C> {

  /**
   * The filter's name, which is also its config key under a proxy ({@code proxies[i].<name>}) and the name other
   * filters' {@link Placement}s and the {@code filters:} order list use. Lowercase words joined by '-'.
   *
   * @return the name
   */
  String name();

  /**
   * The key of its block under a proxy: the {@link #name} unless the filter keeps an older key (HARP's
   * {@code rate-limit} reads {@code rateLimit:}). Letters and digits, starting with a lowercase letter, or the name.
   *
   * @return the config key
   */
  default String configKey() {
    return name();
  }

  /**
   * The keys of the blocks under a proxy that this factory reads, for a filter configured by several blocks (HARP's
   * resilience reads {@code retry}, {@code circuitBreaker}, {@code health} and {@code outlier}). Empty, the default:
   * the factory reads its one block, {@link #configKey}. Otherwise {@link #configKey} is not a key of its own:
   * {@link #read} gets the proxy's block ({@code proxies[i]}) once, when it has any of these keys, and reads each
   * with {@link ConfigBlock#object} (so every problem keeps its full key path) and nothing else of it; a proxy with
   * none of them gets {@link #withoutBlock}. Each key follows the rules of {@link #configKey}.
   *
   * @return the keys, or none for the single block at {@link #configKey}
   */
  default Set<String> configKeys() {
    return Set.of();
  }

  /** @return where the filter sits among the others */
  Placement placement();

  /**
   * Reads and validates the block, recording every problem on it with {@link ConfigBlock#problem}; never throws
   * for bad input. Runs when the config is validated ({@code harp validate}) and at start, off any event loop.
   *
   * @param block the block under the proxy
   * @return the config, or anything when problems were recorded (it is then not used)
   */
  C read(ConfigBlock block);

  /**
   * Creates the filter for one proxy, at start, off any event loop; a failure stops the node with the factory's
   * name and the message.
   *
   * @param config  what {@link #read} returned for this proxy's block
   * @param context the node and proxy it is for
   * @return the filter
   */
  Filter create(C config, FilterContext context);

  /**
   * The config of a proxy that has no block for this filter, or null (the default): no filter there. A filter that
   * must hold on every proxy returns its defaults (HARP's {@code ban} does: a ban made by hand covers every proxy).
   *
   * @return the config for proxies without the block, or null
   */
  default C withoutBlock() {
    return null;
  }

  /**
   * Releases what this factory's filters took on the node (timers, event-bus consumers, clients, cluster
   * listeners), once, when the node stops: after its proxies drained, before it leaves the cluster. Called only on
   * a factory that created a filter. The default has nothing to release.
   *
   * @return completes when released; a failure is logged and the node stops anyway
   */
  default Future<Void> stop() {
    return Future.succeededFuture();
  }
}
