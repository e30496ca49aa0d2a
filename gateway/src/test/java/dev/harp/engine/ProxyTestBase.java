package dev.harp.engine;

import dev.harp.node.HarpNode;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.Ports;
import dev.harp.testkit.TestAdmin;
import dev.harp.testkit.TestUpstream;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A standalone node in front of real loopback upstreams, plus clients to talk to it. */
abstract class ProxyTestBase {

  protected final List<TestUpstream> upstreams = new ArrayList<>();
  protected HarpNode node;
  protected int proxyPort;
  protected final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  protected TestUpstream upstream() {
    TestUpstream u = TestUpstream.start();
    upstreams.add(u);
    return u;
  }

  /** Starts a node with one proxy "api" to the given endpoints; {@code extra} is YAML under the proxy. */
  protected void startProxy(String endpoints, String extra) {
    startProxyWithUpstream("endpoints: [" + endpoints + "]", extra);
  }

  /** {@code upstream} is the content of the proxy's upstream mapping, e.g. "endpoints: [...], lb: least-requests". */
  protected void startProxyWithUpstream(String upstream, String extra) {
    proxyPort = Ports.free();
    String yaml = """
        node: {name: test-node, drainTimeout: 5s, eventLoops: 2}
        admin: {bind: 127.0.0.1, port: %d, users: [%s]}
        proxies:
          - name: api
            bind: 127.0.0.1
            port: %d
            upstream: {%s}
        %s""".formatted(Ports.free(), TestAdmin.USER_YAML, proxyPort, upstream, extra.indent(4));
    node = HarpTestCluster.single(yaml);
  }

  protected String proxyUrl(String path) {
    return "http://127.0.0.1:" + proxyPort + path;
  }

  protected HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(proxyUrl(path))).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends raw bytes and reads until the server closes or {@code timeout}; returns what came back. */
  protected String raw(String request, Duration timeout) throws IOException {
    try (Socket s = new Socket("127.0.0.1", proxyPort)) {
      s.setSoTimeout((int) timeout.toMillis());
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder sb = new StringBuilder();
      byte[] buf = new byte[8192];
      try {
        int n;
        while ((n = in.read(buf)) != -1) {
          sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        }
      } catch (java.net.SocketTimeoutException e) {
        // the server kept the connection open: return what arrived
      }
      return sb.toString();
    }
  }

  @AfterEach
  void stopAll() {
    if (node != null) {
      Await.result(node.stop(), Duration.ofSeconds(30));
    }
    upstreams.forEach(TestUpstream::close);
  }
}
