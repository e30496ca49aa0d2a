package dev.harp.cli;

import dev.harp.config.ConfigLoader;
import dev.harp.config.HarpConfig;
import dev.harp.config.InvalidConfigException;
import dev.harp.node.HarpNode;
import io.vertx.core.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Start one HARP node from a config file. SIGTERM drains in-flight requests and leaves the cluster.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:stopped normally", "1:could not start (port in use, cluster error)", "2:invalid config"})
final class RunCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "HARP YAML config")
  Path config;

  @Mixin
  LogFormatOption logFormat;

  @Mixin
  PluginPathOption plugins;

  @Override
  public Integer call() throws Exception {
    HarpConfig c;
    try {
      c = ConfigLoader.load(config, System.getenv(), plugins.dirs);
    } catch (InvalidConfigException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    Future<HarpNode> starting = HarpNode.start(c);
    NodeShutdown.onSignal(starting, c.node().drainTimeout().plusSeconds(30));
    try {
      starting.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      System.err.println("harp: cannot start: " + cause.getMessage());
      return 1;
    }
    HarpCli.serving = true;
    return 0;
  }
}
