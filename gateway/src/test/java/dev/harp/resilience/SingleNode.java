package dev.harp.resilience;

import dev.harp.node.HarpNode;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.Ports;
import dev.harp.testkit.TestUpstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A standalone node with one proxy "api" in front of real loopback upstreams; closes everything it started. */
final class SingleNode implements AutoCloseable {

  final List<TestUpstream> upstreams = new ArrayList<>();
  HarpNode node;
  int proxyPort;
  int adminPort;

  TestUpstream upstream() {
    TestUpstream u = TestUpstream.start();
    upstreams.add(u);
    return u;
  }

  /** {@code proxyBody} is YAML under the proxy (upstream:, retry:, ...), without name, bind and port. */
  SingleNode start(String proxyBody) {
    proxyPort = Ports.free();
    adminPort = Ports.free();
    String yaml = """
        node: {name: single, drainTimeout: 2s, eventLoops: 2}
        admin: {bind: 127.0.0.1, port: %d, users: [{name: test-admin, passwordHash: '$2a$04$tR2pjMi9Gik2odr9jLmtN.GXaxvmFpJPidV7IJj1E5Ydp0LdymYbm'}]}
        proxies:
          - name: api
            bind: 127.0.0.1
            port: %d
        %s""".formatted(adminPort, proxyPort, proxyBody.stripIndent().indent(4));
    node = HarpTestCluster.single(yaml);
    return this;
  }

  @Override
  public void close() {
    if (node != null) {
      Await.result(node.stop(), Duration.ofSeconds(30));
    }
    upstreams.forEach(TestUpstream::close);
  }
}
