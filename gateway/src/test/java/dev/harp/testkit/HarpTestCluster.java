package dev.harp.testkit;

import dev.harp.config.ConfigLoader;
import dev.harp.config.HarpConfig;
import dev.harp.node.HarpNode;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Starts N real HARP nodes in this JVM, each its own Vert.x instance and Hazelcast member joined over TCP on
 * loopback, from a YAML config per node; tears them all down on close. Every feature's cluster tests build on it.
 *
 * <pre>
 * try (HarpTestCluster cluster = HarpTestCluster.start(3, spec -> spec.baseConfig() + """
 *     proxies:
 *       - name: api
 *         port: %d
 *         upstream: {endpoints: [%s]}
 *     """.formatted(spec.proxyPort(0), upstream.url()))) { ... }
 * </pre>
 */
public final class HarpTestCluster implements AutoCloseable {

  /** Ports and names for node {@code index} (0-based) of a cluster; free loopback ports chosen up front. */
  public record NodeSpec(int index, String clusterName, List<Integer> clusterPorts, int adminPort,
                         List<Integer> proxyPorts) {

    public String name() {
      return "node-" + (index + 1);
    }

    public int clusterPort() {
      return clusterPorts.get(index);
    }

    public int proxyPort(int proxy) {
      return proxyPorts.get(proxy);
    }

    /** node, cluster and admin blocks (admin login: {@link TestAdmin}); append a {@code proxies:} block. */
    public String baseConfig() {
      StringBuilder members = new StringBuilder();
      for (int p : clusterPorts) {
        members.append(members.isEmpty() ? "" : ", ").append("127.0.0.1:").append(p);
      }
      return """
          node: {name: %s, drainTimeout: 5s, eventLoops: 2}
          cluster:
            name: %s
            interface: 127.0.0.1
            port: %d
            members: [%s]
          admin: {bind: 127.0.0.1, port: %d, users: [%s]}
          """.formatted(name(), clusterName, clusterPort(), members, adminPort, TestAdmin.USER_YAML);
    }
  }

  private static final int PROXY_PORTS_PER_NODE = 4;

  private final List<NodeSpec> specs;
  private final List<HarpNode> nodes;

  private HarpTestCluster(List<NodeSpec> specs, List<HarpNode> nodes) {
    this.specs = specs;
    this.nodes = new ArrayList<>(nodes);
  }

  public static HarpTestCluster start(int size, Function<NodeSpec, String> yaml) {
    String clusterName = "harp-test-" + Long.toHexString(System.nanoTime());
    List<Integer> clusterPorts = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      clusterPorts.add(Ports.free());
    }
    List<NodeSpec> specs = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      List<Integer> proxyPorts = new ArrayList<>();
      for (int p = 0; p < PROXY_PORTS_PER_NODE; p++) {
        proxyPorts.add(Ports.free());
      }
      specs.add(new NodeSpec(i, clusterName, List.copyOf(clusterPorts), Ports.free(), List.copyOf(proxyPorts)));
    }
    return start(specs, yaml);
  }

  /** Members with these specs (the same names, cluster and ports as a cluster started before: a restart). */
  public static HarpTestCluster start(List<NodeSpec> specs, Function<NodeSpec, String> yaml) {
    int size = specs.size();
    List<Future<HarpNode>> starting = new ArrayList<>();
    for (NodeSpec spec : specs) {
      HarpConfig config = ConfigLoader.parse(yaml.apply(spec), spec.name(), Map.of(), null);
      starting.add(HarpNode.start(config));
    }
    // Wait for every start, failed or not, so that none is left running behind a failure: a leftover member keeps
    // its Hazelcast instance name and would fail every later cluster test in this JVM.
    Await.result(Future.join(starting).otherwiseEmpty(), Duration.ofSeconds(90));
    List<HarpNode> started = new ArrayList<>();
    Throwable failure = null;
    for (Future<HarpNode> f : starting) {
      if (f.succeeded()) {
        started.add(f.result());
      } else if (failure == null) {
        failure = f.cause();
      }
    }
    HarpTestCluster cluster = new HarpTestCluster(specs, started);
    try {
      if (failure != null) {
        throw new IllegalStateException("a member failed to start", failure);
      }
      Await.until(size + " members see each other", Duration.ofSeconds(60),
          () -> cluster.nodes.stream().allMatch(n -> n.hazelcast().getCluster().getMembers().size() == size));
      cluster.awaitReady();
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** {@code size} members, each with one proxy "api" on 127.0.0.1 ({@code proxyPort(0)}) in front of one upstream. */
  public static HarpTestCluster startWithProxyTo(int size, String upstreamUrl) {
    return start(size, spec -> spec.baseConfig() + """
        proxies:
          - name: api
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: ['%s']}
        """.formatted(spec.proxyPort(0), upstreamUrl));
  }

  /** One standalone node (no cluster block) from a YAML config. */
  public static HarpNode single(String yaml) {
    return Await.result(HarpNode.start(ConfigLoader.parse(yaml, "test", Map.of(), null)), Duration.ofSeconds(60));
  }

  /** Waits until every running member reports ready (joined, partitions safe, proxies listening). */
  public void awaitReady() {
    Await.until("every member ready", Duration.ofSeconds(60), () -> nodes.stream()
        .filter(n -> !n.readiness().isDraining())
        .allMatch(n -> Await.result(n.readiness().check()).getBoolean("ready", false)));
  }

  public HarpNode node(int index) {
    return nodes.get(index);
  }

  public NodeSpec spec(int index) {
    return specs.get(index);
  }

  public List<NodeSpec> specs() {
    return specs;
  }

  public int size() {
    return nodes.size();
  }

  /** Gracefully stops one member (drain, leave) and removes it from this cluster's list. */
  public void stop(int index) {
    Await.result(nodes.get(index).stop(), Duration.ofSeconds(60));
  }

  @Override
  public void close() {
    List<Future<Void>> stopping = new ArrayList<>();
    for (HarpNode node : nodes) {
      stopping.add(node.stop());
    }
    Await.result(Future.join(stopping).mapEmpty(), Duration.ofSeconds(90));
  }
}
