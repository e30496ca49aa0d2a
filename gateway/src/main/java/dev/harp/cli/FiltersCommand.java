package dev.harp.cli;

import dev.harp.config.ConfigLoader;
import dev.harp.config.HarpConfig;
import dev.harp.config.InvalidConfigException;
import dev.harp.config.ProxyConfig;
import dev.harp.engine.PipelineOrder;
import dev.harp.engine.Pipelines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "filters", mixinStandardHelpOptions = true,
    description = "Print each proxy's request pipeline: its filters (HARP's own and plugins') in the order they run.",
    exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:printed", "2:the config has problems"})
final class FiltersCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "HARP YAML config")
  Path config;

  @Mixin
  PluginPathOption plugins;

  @Override
  public Integer call() {
    HarpConfig c;
    try {
      c = ConfigLoader.load(config, System.getenv(), plugins.dirs);
    } catch (InvalidConfigException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    for (ProxyConfig proxy : c.proxies()) {
      // A valid config has an order for every proxy: ties and cycles were refused while loading it.
      PipelineOrder.Ordered order = (PipelineOrder.Ordered) Pipelines.order(proxy, Pipelines.fromConfig(proxy));
      String how = proxy.feature(Pipelines.OVERRIDE_KEY).isPresent() ? " (its filters: list)" : "";
      System.out.println(proxy.name() + ": " + (order.names().isEmpty() ? "(no filters)"
          : String.join(" -> ", order.names())) + " -> upstream" + how);
    }
    return 0;
  }
}
