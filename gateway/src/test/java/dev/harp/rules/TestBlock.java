package dev.harp.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.harp.config.ConfigNode;
import dev.harp.config.ConfigProblems;
import dev.harp.spi.ConfigBlock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A ConfigBlock over the gateway's ConfigNode, for tests (the engine has its own adapter). */
final class TestBlock implements ConfigBlock {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final ConfigNode node;

  TestBlock(ConfigNode node) {
    this.node = node;
  }

  /** The block {@code proxies[0].rules} holding the given YAML. */
  static TestBlock rules(String yaml, ConfigProblems problems) {
    try {
      JsonNode json = YAML.readTree(yaml);
      return new TestBlock(new ConfigNode(json, "proxies[0].rules", problems));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
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
      if (!raw.get(i).isObject()) {
        node.problems().add(p, "must be a mapping");
      } else {
        out.add(new TestBlock(new ConfigNode(raw.get(i), p, node.problems())));
      }
    }
    return out;
  }

  @Override
  public void allowOnly(Set<String> allowed) {
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
    return new TestBlock(node.object(key));
  }

  @Override
  public List<ConfigBlock> objects(String key) {
    return node.objects(key).stream().map(n -> (ConfigBlock) new TestBlock(n)).toList();
  }
}
