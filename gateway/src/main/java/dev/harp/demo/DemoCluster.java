package dev.harp.demo;

import dev.harp.admin.auth.PasswordHashing;
import dev.harp.config.ConfigLoader;
import dev.harp.config.HarpConfig;
import dev.harp.node.HarpNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The local demo: a sample API and N HARP nodes in this JVM, each its own Vert.x instance and Hazelcast member
 * joined over TCP on loopback. Node i (1-based) listens on {@code proxyPort + i - 1} and so on. The admin ports take
 * one login, user {@code demo} with a password made for this run ({@link #login()}).
 */
public final class DemoCluster {

  public record Ports(int upstream, int proxy, int admin, int cluster) {
  }

  /** Sample requests per second the demo sends through its nodes (see {@link DemoLoad}). */
  public static final int DEFAULT_LOAD = 4;
  /** The admin login of this demo run. */
  public record Login(String user, String password) {
    @Override
    public String toString() {
      return "Login[user=" + user + "]";
    }
  }

  static final String DEMO_USER = "demo";

  private final Vertx upstreamVertx;
  private final List<HarpNode> nodes;
  private final Ports ports;
  private final DemoLoad load;
  private final Login login;

  private DemoCluster(Vertx upstreamVertx, List<HarpNode> nodes, Ports ports, Login login) {
    this.upstreamVertx = upstreamVertx;
    this.nodes = nodes;
    this.ports = ports;
    this.load = new DemoLoad(upstreamVertx, nodes.stream().map(n -> n.proxy("catalog").config().port()).toList());
    this.login = login;
  }

  public static Future<DemoCluster> start(int size, Ports ports) {
    return start(size, ports, DEFAULT_LOAD);
  }

  /** @param loadPerSecond sample requests a second through the nodes, 0 for none */
  public static Future<DemoCluster> start(int size, Ports ports, int loadPerSecond) {
    Vertx upstreamVertx = Vertx.vertx();
    Login login = new Login(DEMO_USER, newPassword());
    return upstreamVertx.deployVerticle(new SampleApi("127.0.0.1", ports.upstream()))
        .compose(id -> upstreamVertx.executeBlocking(() -> PasswordHashing.hash(login.password(), 10)))
        .compose(hash -> {
          List<Future<HarpNode>> starting = new ArrayList<>();
          for (int i = 1; i <= size; i++) {
            starting.add(HarpNode.start(config(i, size, ports, hash)));
          }
          return Future.join(starting).transform(ar -> {
            List<HarpNode> started = starting.stream().filter(Future::succeeded).map(Future::result).toList();
            if (ar.failed()) {
              // Do not leave half a demo running.
              return Future.join(started.stream().map(HarpNode::stop).toList())
                  .eventually(upstreamVertx::close)
                  .transform(v -> Future.<DemoCluster>failedFuture(ar.cause()));
            }
            DemoCluster demo = new DemoCluster(upstreamVertx, new ArrayList<>(started), ports, login);
            demo.load.start(loadPerSecond);
            return Future.succeededFuture(demo);
          });
        });
  }

  static HarpConfig config(int i, int size, Ports ports, String passwordHash) {
    StringBuilder members = new StringBuilder();
    for (int m = 1; m <= size; m++) {
      members.append(m > 1 ? ", " : "").append("127.0.0.1:").append(ports.cluster() + m - 1);
    }
    String yaml = """
        node: {name: node-%1$d, drainTimeout: 5s, eventLoops: 2}
        cluster:
          name: harp-demo
          interface: 127.0.0.1
          port: %2$d
          members: [%3$s]
        admin:
          bind: 127.0.0.1
          port: %4$d
          users: [{name: %7$s, passwordHash: '%8$s'}]
        proxies:
          - name: catalog
            bind: 127.0.0.1
            port: %5$d
            upstream:
              endpoints: [http://127.0.0.1:%6$d]
              lb: round-robin
            timeouts: {connect: 2s, response: 30s, idle: 60s}
            accessLog: false
            capture: {bodyPreview: 2KiB, redactFields: [session]}
        """.formatted(i, ports.cluster() + i - 1, members, ports.admin() + i - 1, ports.proxy() + i - 1,
        ports.upstream(), DEMO_USER, passwordHash);
    return ConfigLoader.parse(yaml, "demo node-" + i, Map.of(), null);
  }

  public List<HarpNode> nodes() {
    return nodes;
  }

  public Ports ports() {
    return ports;
  }

  public Login login() {
    return login;
  }

  /** 12 random bytes: 16 URL-safe characters, short enough to type into a browser's prompt. */
  private static String newPassword() {
    byte[] bytes = new byte[12];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public Future<Void> stop() {
    load.stop();
    return Future.join(nodes.stream().map(HarpNode::stop).toList())
        .eventually(upstreamVertx::close)
        .mapEmpty();
  }
}
