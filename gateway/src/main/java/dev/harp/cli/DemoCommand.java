package dev.harp.cli;

import dev.harp.demo.DemoCluster;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start a local 3-member HARP cluster on loopback in front of a sample API, and print its URLs.")
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--nodes", defaultValue = "3", description = "Cluster members to start (default: ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--upstream-port", defaultValue = "9000", description = "Sample API port (default: ${DEFAULT-VALUE}).")
  int upstreamPort;

  @Option(names = "--proxy-port", defaultValue = "4001",
      description = "Proxy port of node 1; node N listens on this + N - 1 (default: ${DEFAULT-VALUE}).")
  int proxyPort;

  @Option(names = "--admin-port", defaultValue = "4081",
      description = "Admin port of node 1; node N on this + N - 1 (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(names = "--cluster-port", defaultValue = "5701",
      description = "Hazelcast port of node 1; node N on this + N - 1 (default: ${DEFAULT-VALUE}).")
  int clusterPort;

  @Option(names = "--load", defaultValue = "" + DemoCluster.DEFAULT_LOAD,
      description = "Sample requests per second sent through the nodes, so the dashboard has live traffic; 0 for "
          + "none (default: ${DEFAULT-VALUE}).")
  int load;

  @Mixin
  LogFormatOption logFormat;

  @Override
  public Integer call() {
    DemoCluster demo;
    try {
      demo = DemoCluster.start(nodes, new DemoCluster.Ports(upstreamPort, proxyPort, adminPort, clusterPort), load)
          .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("harp demo: cannot start: " + (e.getCause() == null ? e : e.getCause()).getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        demo.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("harp demo: did not stop cleanly: " + e);
      }
    }, "harp-demo-shutdown"));
    System.out.println();
    System.out.println("HARP demo: " + nodes + "-member cluster 'harp-demo' on loopback; sample API on http://127.0.0.1:"
        + upstreamPort);
    for (int i = 1; i <= nodes; i++) {
      System.out.printf("  node-%d  proxy 'catalog' http://127.0.0.1:%d/items   dashboard http://127.0.0.1:%d/dashboard/"
          + "   health http://127.0.0.1:%d/health/ready%n", i, proxyPort + i - 1, adminPort + i - 1, adminPort + i - 1);
    }
    DemoCluster.Login login = demo.login();
    System.out.println("Admin login (dashboard, API, metrics; made for this run): user " + login.user()
        + "  password " + login.password() + "   e.g. curl -u " + login.user() + ":" + login.password()
        + " http://127.0.0.1:" + adminPort + "/metrics");
    System.out.println("Try:  curl -i http://127.0.0.1:" + proxyPort + "/items     "
        + "curl -N 'http://127.0.0.1:" + proxyPort + "/events?count=5'");
    if (load > 0) {
      System.out.println("Sending ~" + load + " sample requests/s through the nodes: open a dashboard URL to watch them.");
    }
    System.out.println("Ctrl-C drains and stops every node.");
    HarpCli.serving = true;
    return 0;
  }
}
