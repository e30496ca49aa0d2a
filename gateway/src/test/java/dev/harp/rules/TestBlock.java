package dev.harp.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.harp.config.ConfigNode;
import dev.harp.config.ConfigProblems;
import dev.harp.engine.ConfigBlocks;
import dev.harp.spi.ConfigBlock;

/** Rules blocks from YAML, through the engine's own adapter. */
final class TestBlock {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private TestBlock() {
  }

  /** The block {@code proxies[0].rules} holding the given YAML. */
  static ConfigBlock rules(String yaml, ConfigProblems problems) {
    return rules(yaml, problems, java.util.List.of());
  }

  /** As {@link #rules(String, ConfigProblems)}, on a proxy that declares these {@code upstream.pools}. */
  static ConfigBlock rules(String yaml, ConfigProblems problems, java.util.List<String> pools) {
    try {
      return ConfigBlocks.of(new ConfigNode(YAML.readTree(yaml), "proxies[0].rules", problems), pools);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
