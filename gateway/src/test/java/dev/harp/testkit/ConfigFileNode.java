package dev.harp.testkit;

import dev.harp.config.ConfigLoader;
import dev.harp.node.HarpNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A standalone node started from a real config file (so {@code plugins/} beside it is searched), with one proxy
 * "api" in front of one loopback upstream; closes both.
 */
public final class ConfigFileNode implements AutoCloseable {

  public final TestUpstream upstream = TestUpstream.start();
  public final int proxyPort = Ports.free();
  public final int adminPort = Ports.free();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private HarpNode node;

  /** Writes {@code dir/harp.yaml}; {@code proxyExtra} is YAML under the proxy (filter blocks, cache...). */
  public Path writeConfig(Path dir, String proxyExtra) throws java.io.IOException {
    return Files.writeString(dir.resolve("harp.yaml"), """
        node: {name: file-node, drainTimeout: 2s, eventLoops: 1}
        admin: {bind: 127.0.0.1, port: %d, users: [%s]}
        proxies:
          - name: api
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: ['%s']}
        %s""".formatted(adminPort, TestAdmin.USER_YAML, proxyPort, upstream.url(), proxyExtra.indent(4)));
  }

  /** Loads the file as {@code harp run} does and starts the node. */
  public HarpNode start(Path config) {
    node = Await.result(HarpNode.start(ConfigLoader.load(config, Map.of())), Duration.ofSeconds(60));
    return node;
  }

  public URI proxy(String path) {
    return URI.create("http://127.0.0.1:" + proxyPort + path);
  }

  public String metrics() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
        .header("Authorization", TestAdmin.basic()).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Override
  public void close() {
    if (node != null) {
      Await.result(node.stop(), Duration.ofSeconds(30));
    }
    upstream.close();
  }
}
