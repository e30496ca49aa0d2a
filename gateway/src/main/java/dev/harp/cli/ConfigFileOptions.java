package dev.harp.cli;

import dev.harp.config.ConfigLoader;
import dev.harp.config.HarpConfig;
import dev.harp.config.InvalidConfigException;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code --config FILE} and {@code --plugin-path DIR}, shared by the commands that read a config: the plugins are part
 * of what the config means (their blocks validate through their factories), so the two are loaded together.
 */
final class ConfigFileOptions {

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "HARP YAML config")
  Path config;

  @Option(names = "--plugin-path", paramLabel = "DIR", split = ",",
      description = "Directory of filter plugin jars (repeatable, or comma-separated); the plugins/ directory "
          + "beside the config file is always searched")
  List<Path> pluginDirs = new ArrayList<>();

  /** The config with environment overrides applied, or empty after printing every problem to stderr. */
  Optional<HarpConfig> loadOrReport() {
    try {
      return Optional.of(ConfigLoader.load(config, System.getenv(), pluginDirs));
    } catch (InvalidConfigException e) {
      System.err.println(e.getMessage());
      return Optional.empty();
    }
  }
}
