package dev.harp.auth;

import dev.harp.node.HarpNode;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.Ports;
import dev.harp.testkit.TestAdmin;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterEach;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A standalone node in front of a real loopback upstream, with a real loopback "login service" as the auth endpoint:
 * it knows a few session cookies ({@code sid}) and answers 200 with identity headers, 401 or 403, like an application
 * platform's session check.
 */
abstract class AuthTestBase {

  static final String ALICE = "alice-session-0f3a9c";
  static final String ROOT = "root-session-77b1e2";
  static final String BANNED = "banned-session-5d21";

  protected final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  protected final List<AutoCloseable> closing = new ArrayList<>();
  protected final Map<String, String[]> sessions = new ConcurrentHashMap<>(Map.of(
      ALICE, new String[] {"alice", "users"},
      ROOT, new String[] {"root", "users,admin"}));
  protected TestUpstream upstream;
  protected TestUpstream login;
  protected HarpNode node;
  protected int proxyPort;
  protected int adminPort;

  protected TestUpstream upstream() {
    TestUpstream u = TestUpstream.start();
    closing.add(u);
    return u;
  }

  /** The login service: checks the {@code sid} cookie against {@link #sessions}. */
  protected TestUpstream loginService() {
    return upstream().handler(this::checkSession);
  }

  private void checkSession(HttpServerRequest req) {
    String cookie = req.getHeader("cookie");
    String sid = cookie == null ? null : cookie.replaceAll(".*\\bsid=([^;]*).*", "$1");
    if (BANNED.equals(sid)) {
      req.response().setStatusCode(403).end();
      return;
    }
    String[] who = sid == null ? null : sessions.get(sid);
    if (who == null) {
      req.response().setStatusCode(401).end();
      return;
    }
    req.response().putHeader("X-User", who[0]).putHeader("X-Groups", who[1])
        .putHeader("X-Not-Listed", "ignored").end();
  }

  /** Starts a node with proxy {@code api} in front of {@link #upstream}; {@code auth} is the YAML of its auth block. */
  protected void start(String auth) {
    start(auth, "");
  }

  protected void start(String auth, String topLevel) {
    start(auth, topLevel, "");
  }

  /** @param proxyExtra more YAML under the proxy (other features' blocks) */
  protected void start(String auth, String topLevel, String proxyExtra) {
    proxyPort = Ports.free();
    adminPort = Ports.free();
    node = HarpTestCluster.single("""
        node: {name: auth-node, drainTimeout: 2s, eventLoops: 2}
        admin: {bind: 127.0.0.1, port: %d, users: [%s]}
        %s
        proxies:
          - name: api
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: ['%s']}
        %s
            auth:
        %s""".formatted(adminPort, TestAdmin.USER_YAML, topLevel, proxyPort, upstream.url(), proxyExtra.indent(4),
        auth.indent(6)));
  }

  protected HttpResponse<String> get(String path, String... headers) {
    return send(request(proxyPort, path, headers).build());
  }

  protected static HttpRequest.Builder request(int port, String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return b;
  }

  protected HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
    }
  }

  protected HttpResponse<String> admin(String method, String path, String json) {
    HttpRequest.Builder b = request(adminPort, path, "Authorization", TestAdmin.basic(),
        "Content-Type", "application/json");
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    return send(b.build());
  }

  @AfterEach
  void stopAll() throws Exception {
    if (node != null) {
      Await.result(node.stop(), Duration.ofSeconds(30));
    }
    for (AutoCloseable c : closing) {
      c.close();
    }
  }
}
