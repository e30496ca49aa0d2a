package dev.harp.cli;

import dev.harp.config.HarpConfig;
import dev.harp.config.ProxyConfig;
import dev.harp.engine.PipelineOrder;
import dev.harp.engine.Pipelines;
import picocli.CommandLine.Command;


@Command(name = "filters", mixinStandardHelpOptions = true,
    description = "Print each proxy's request pipeline: its filters (HARP's own and plugins') in the order they run.",
    exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:printed", "2:the config has problems"})
final class FiltersCommand extends ConfigCommand {

  @Override
  int run(HarpConfig c) {
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
