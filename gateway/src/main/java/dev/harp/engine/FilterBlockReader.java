package dev.harp.engine;

import dev.harp.config.ConfigNode;
import dev.harp.config.ProxyBlockReader;
import dev.harp.spi.FilterFactory;

import java.util.List;
import java.util.Set;

/** Hands a filter's block under a proxy to its factory; the proxy's config then holds a {@link FilterBlock}. */
public final class FilterBlockReader implements ProxyBlockReader<FilterBlock> {

  private final FilterFactory<Object> factory;

  @SuppressWarnings("unchecked")
  public FilterBlockReader(FilterFactory<?> factory) {
    this.factory = (FilterFactory<Object>) factory;
  }

  /** Its config key; for a factory that reads several blocks, its name (the key of its config in the proxy's). */
  @Override
  public String key() {
    return FilterFactories.featureKey(factory);
  }

  /** Whether the factory reads several blocks: it then gets the proxy's node (see {@link FilterFactory#configKeys}). */
  public boolean readsSeveralKeys() {
    return !factory.configKeys().isEmpty();
  }

  /** The keys under a proxy the factory reads. */
  public Set<String> keys() {
    return FilterFactories.keysOf(factory);
  }

  @Override
  public FilterBlock read(ConfigNode block) {
    return read(block, List.of());
  }

  /**
   * @param upstreamPools the names of the proxy's {@code upstream.pools}, which the block may refer to
   */
  public FilterBlock read(ConfigNode block, List<String> upstreamPools) {
    try {
      return new FilterBlock(factory, factory.read(ConfigBlocks.of(block, upstreamPools)));
    } catch (RuntimeException e) {
      // A factory must record problems, not throw; one that throws still gets a key path, not a stack trace.
      block.problem(null, "filter '" + factory.name() + "' could not read its block: " + e);
      return new FilterBlock(factory, null);
    }
  }

  /** What a proxy without the block holds: the factory's {@link FilterFactory#withoutBlock} config, or null. */
  public FilterBlock withoutBlock() {
    Object config = factory.withoutBlock();
    return config == null ? null : new FilterBlock(factory, config);
  }
}
