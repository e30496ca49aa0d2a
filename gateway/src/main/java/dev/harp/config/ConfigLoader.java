package dev.harp.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Turns a YAML file into a validated {@link HarpConfig}: parse (Jackson YAML, duplicate keys rejected), apply
 * environment overrides, resolve secret references, then read and cross-check every section. Any problem anywhere
 * ends in one {@link InvalidConfigException} that lists them all.
 */
public final class ConfigLoader {

  static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  private ConfigLoader() {
  }

  public static HarpConfig load(Path file, Map<String, String> env) {
    return load(file, env, java.util.List.of());
  }

  /**
   * As {@link #load(Path, Map)}, with filter plugins: the jars in the {@code plugins/} directory beside the file,
   * and in {@code pluginDirs}. A plugin that cannot be loaded is a config error naming its jar.
   */
  public static HarpConfig load(Path file, Map<String, String> env, java.util.List<Path> pluginDirs) {
    ClassLoader plugins;
    try {
      plugins = dev.harp.engine.Plugins.loader(file, pluginDirs);
    } catch (dev.harp.engine.PluginException e) {
      throw new InvalidConfigException(file.toString(), java.util.List.of("(plugins): " + e.getMessage()));
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new InvalidConfigException(file.toString(), java.util.List.of("(file): cannot read: " + e));
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(text, file.toString(), env, base, plugins);
  }

  public static HarpConfig parse(String yaml, String source, Map<String, String> env, Path baseDir) {
    return parse(yaml, source, env, baseDir, ConfigLoader.class.getClassLoader());
  }

  /** @param plugins the class loader filter factories come from (HARP's own, or the plugins' over it) */
  public static HarpConfig parse(String yaml, String source, Map<String, String> env, Path baseDir,
                                 ClassLoader plugins) {
    ConfigProblems problems = new ConfigProblems();
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new InvalidConfigException(source, java.util.List.of("(syntax): " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr())));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = YAML.createObjectNode();
    }
    if (!root.isObject()) {
      throw new InvalidConfigException(source, java.util.List.of("(root): must be a mapping"));
    }
    EnvOverrides.apply((ObjectNode) root, env, problems);
    SecretRefs.resolve(root, "", env, baseDir, problems);
    HarpConfig config;
    try {
      config = new ConfigReader(problems, source).plugins(plugins).read(new ConfigNode(root, "", problems));
    } catch (dev.harp.engine.PluginException e) {
      throw new InvalidConfigException(source, java.util.List.of("(plugins): " + e.getMessage()));
    }
    problems.throwIfAny(source);
    return config;
  }
}
