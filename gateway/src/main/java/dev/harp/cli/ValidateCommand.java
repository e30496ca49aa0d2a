package dev.harp.cli;

import dev.harp.config.ConfigLoader;
import dev.harp.config.HarpConfig;
import dev.harp.config.InvalidConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check a config file (with environment overrides applied) and list every problem in it.",
    exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:the config is valid", "2:the config has problems"})
final class ValidateCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "HARP YAML config")
  Path config;

  @picocli.CommandLine.Mixin
  PluginPathOption plugins;

  @Override
  public Integer call() {
    try {
      HarpConfig c = ConfigLoader.load(config, System.getenv(), plugins.dirs);
      System.out.println("OK: " + config + " (" + c.proxies().size() + " proxies"
          + c.cluster().map(cl -> ", cluster '" + cl.name() + "' of " + cl.members().size() + " members")
              .orElse(", standalone") + ")");
      return 0;
    } catch (InvalidConfigException e) {
      System.err.println(e.getMessage());
      return 2;
    }
  }
}
