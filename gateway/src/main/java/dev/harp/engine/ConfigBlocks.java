package dev.harp.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.harp.config.ConfigNode;
import dev.harp.spi.ConfigBlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The SPI's {@link ConfigBlock} over HARP's own {@link ConfigNode}: same key paths, same problem list. */
public final class ConfigBlocks implements ConfigBlock {

  private final ConfigNode node;
  /** The proxy's declared pools, handed down to every nested block. */
  private final List<String> upstreamPools;

  private ConfigBlocks(ConfigNode node, List<String> upstreamPools) {
    this.node = node;
    this.upstreamPools = upstreamPools;
  }

  /**
   * The config node under a block HARP made: HARP's own filters read their blocks with the config package's readers
   * (addresses, durations, lists of statuses) through the same SPI call as any filter.
   *
   * @throws IllegalArgumentException for a block HARP did not make
   */
  public static ConfigNode node(ConfigBlock block) {
    if (block instanceof ConfigBlocks own) {
      return own.node;
    }
    throw new IllegalArgumentException("not a block of HARP's config: " + block);
  }

  public static ConfigBlock of(ConfigNode node) {
    return of(node, List.of());
  }

  /** A block of a proxy that declares these {@code upstream.pools}. */
  public static ConfigBlock of(ConfigNode node, List<String> upstreamPools) {
    return new ConfigBlocks(node, List.copyOf(upstreamPools));
  }

  @Override
  public String path() {
    return node.path();
  }

  @Override
  public boolean has(String key) {
    return node.has(key);
  }

  @Override
  public List<String> keys() {
    List<String> out = new ArrayList<>();
    if (node.raw().isObject()) {
      node.raw().fieldNames().forEachRemaining(out::add);
    }
    return out;
  }

  @Override
  public List<ConfigBlock> items() {
    List<ConfigBlock> out = new ArrayList<>();
    JsonNode raw = node.raw();
    if (!node.isPresent()) {
      return out;
    }
    if (!raw.isArray()) {
      node.problem(null, "must be a list");
      return out;
    }
    for (int i = 0; i < raw.size(); i++) {
      String p = node.path() + "[" + i + "]";
      if (raw.get(i).isObject()) {
        out.add(new ConfigBlocks(new ConfigNode(raw.get(i), p, node.problems()), upstreamPools));
      } else {
        node.problems().add(p, "must be a mapping");
      }
    }
    return out;
  }

  @Override
  public void allowOnly(Set<String> allowed) {
    if (node.isPresent() && !node.raw().isObject()) {
      // Filter blocks reach their factory unchecked (one may be a list); a mapping one is checked here.
      node.problem(null, "must be a mapping");
      return;
    }
    node.allowOnly(allowed);
  }

  @Override
  public void problem(String key, String reason) {
    node.problem(key, reason);
  }

  @Override
  public String string(String key, String def) {
    return node.string(key, def);
  }

  @Override
  public String requiredString(String key) {
    return node.requiredString(key);
  }

  @Override
  public boolean bool(String key, boolean def) {
    return node.bool(key, def);
  }

  @Override
  public long integer(String key, long def, long min, long max) {
    return node.integer(key, def, min, max);
  }

  @Override
  public Duration duration(String key, Duration def) {
    return node.duration(key, def);
  }

  @Override
  public List<String> strings(String key) {
    return node.strings(key);
  }

  @Override
  public ConfigBlock object(String key) {
    return new ConfigBlocks(node.object(key), upstreamPools);
  }

  @Override
  public List<ConfigBlock> objects(String key) {
    return node.objects(key).stream().map(n -> (ConfigBlock) new ConfigBlocks(n, upstreamPools)).toList();
  }

  @Override
  public List<String> upstreamPools() {
    return upstreamPools;
  }
}
