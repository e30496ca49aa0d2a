package dev.harp.cli;

import dev.harp.config.HarpConfig;
import dev.harp.node.HarpNode;
import io.vertx.core.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.TimeUnit;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Start one HARP node from a config file. SIGTERM drains in-flight requests and leaves the cluster.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:stopped normally", "1:could not start (port in use, cluster error)", "2:invalid config"})
final class RunCommand extends ConfigCommand {

  @Mixin
  LogFormatOption logFormat;

  @Override
  int run(HarpConfig c) throws Exception {
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
