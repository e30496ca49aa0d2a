package dev.harp.cli;

import dev.harp.config.ConfigLoader;
import dev.harp.config.HarpConfig;
import dev.harp.demo.SampleApi;
import dev.harp.node.HarpNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  @Mixin
  LogFormatOption logFormat;

  @Override
  public Integer call() throws Exception {
    Vertx upstreamVertx = Vertx.vertx();
    await(upstreamVertx.deployVerticle(new SampleApi("127.0.0.1", upstreamPort)));
    List<HarpNode> started = new ArrayList<>();
    List<Future<HarpNode>> starting = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      starting.add(HarpNode.start(config(i)));
    }
    for (Future<HarpNode> f : starting) {
      started.add(await(f));
    }
    NodeShutdown.onSignal(started, Duration.ofSeconds(30), upstreamVertx::close);
    System.out.println();
    System.out.println("HARP demo: " + nodes + "-member cluster 'harp-demo' on loopback, sample API on http://127.0.0.1:"
        + upstreamPort);
    for (int i = 1; i <= nodes; i++) {
      System.out.printf("  node-%d  proxy 'catalog' http://127.0.0.1:%d/items   dashboard http://127.0.0.1:%d/dashboard/"
          + "   health http://127.0.0.1:%d/health/ready%n", i, proxyPort + i - 1, adminPort + i - 1, adminPort + i - 1);
    }
    System.out.println("Try:  curl -i http://127.0.0.1:" + proxyPort + "/items     "
        + "curl -N http://127.0.0.1:" + proxyPort + "/events?count=5");
    System.out.println("Ctrl-C drains and stops every node.");
    HarpCli.serving = true;
    return 0;
  }

  private HarpConfig config(int i) {
    StringBuilder members = new StringBuilder();
    for (int m = 1; m <= nodes; m++) {
      members.append(m > 1 ? ", " : "").append("127.0.0.1:").append(clusterPort + m - 1);
    }
    String yaml = """
        node: {name: node-%1$d, drainTimeout: 5s, eventLoops: 2}
        cluster:
          name: harp-demo
          interface: 127.0.0.1
          port: %2$d
          members: [%3$s]
        admin: {bind: 127.0.0.1, port: %4$d}
        proxies:
          - name: catalog
            bind: 127.0.0.1
            port: %5$d
            upstream:
              endpoints: [http://127.0.0.1:%6$d]
              lb: round-robin
            timeouts: {connect: 2s, response: 30s, idle: 60s}
        """.formatted(i, clusterPort + i - 1, members, adminPort + i - 1, proxyPort + i - 1, upstreamPort);
    return ConfigLoader.parse(yaml, "demo node-" + i, Map.of(), null);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
