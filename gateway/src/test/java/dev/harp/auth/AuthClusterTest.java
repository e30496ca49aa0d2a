package dev.harp.auth;

import dev.harp.secrets.KeyHash;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.LogCapture;
import dev.harp.testkit.TestAdmin;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions and keys on a real 3-member cluster: a session checked on one node is not checked again on the others,
 * a logout or a key revocation takes effect on every node, and no secret of the run reaches a log line.
 */
class AuthClusterTest {

  private static final String ALICE = "alice-" + KeyHash.newSecret("");
  private static final String BOB = "bob-" + KeyHash.newSecret("");
  private static final String CAROL = "carol-" + KeyHash.newSecret("");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** The login service's live sessions: sid → user. */
  private static final Map<String, String> SESSIONS = new ConcurrentHashMap<>(Map.of(ALICE, "alice", BOB, "bob",
      CAROL, "carol"));
  private static final AtomicInteger CHECKS = new AtomicInteger();
  private static final Map<String, String> generatedKeys = new ConcurrentHashMap<>();

  private static LogCapture logs;
  private static TestUpstream upstream;
  private static TestUpstream login;
  private static HarpTestCluster cluster;

  @BeforeAll
  static void start() {
    logs = LogCapture.start();
    upstream = TestUpstream.start();
    login = TestUpstream.start().handler(req -> {
      CHECKS.incrementAndGet();
      String cookie = req.getHeader("cookie");
      String user = cookie == null ? null : SESSIONS.get(cookie.replaceAll(".*\\bsid=([^;]*).*", "$1"));
      if (user == null) {
        req.response().setStatusCode(401).end();
      } else {
        req.response().putHeader("X-User", user).end();
      }
    });
    cluster = HarpTestCluster.start(3, spec -> spec.baseConfig() + """
        consumers:
          - {name: billing-app}
        proxies:
          - name: apps
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: ['%s']}
            auth:
              forward:
                url: %s/check
                cookies: [sid]
                identityHeaders: [X-User]
                cacheTtl: 60s
                negativeCacheTtl: 60s
          - name: api
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: ['%s']}
            auth:
              apiKeys: {header: X-Api-Key}
        """.formatted(spec.proxyPort(0), upstream.url(), login.url(), spec.proxyPort(1), upstream.url()));
  }

  @AfterAll
  static void stop() {
    try {
      if (cluster != null) {
        cluster.close();
      }
      upstream.close();
      login.close();
      logs.assertNoLineContains(ALICE, BOB, CAROL);
      logs.assertNoLineContains(generatedKeys.values().toArray(String[]::new));
    } finally {
      logs.close();
    }
  }

  @Test
  void aSessionCheckedOnOneNodeIsNotCheckedAgainOnTheOthers() {
    int before = CHECKS.get();
    assertThat(app(0, ALICE).statusCode()).isEqualTo(200);
    for (int round = 0; round < 5; round++) {
      for (int node = 0; node < 3; node++) {
        assertThat(app(node, ALICE).statusCode()).isEqualTo(200);
      }
    }
    assertThat(CHECKS.get() - before).as("16 requests over 3 nodes, one session check").isEqualTo(1);
  }

  @Test
  void aLogoutThroughTheAdminApiEndsTheSessionOnEveryNode() {
    for (int node = 0; node < 3; node++) {
      assertThat(app(node, BOB).statusCode()).isEqualTo(200);
    }
    SESSIONS.remove(BOB); // the platform ended the session...
    assertThat(app(2, BOB).statusCode()).as("...but HARP still trusts its cached decision").isEqualTo(200);

    HttpResponse<String> logout = send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + cluster.node(1).adminPort() + "/api/auth/logout"))
        .header("Authorization", TestAdmin.basic()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("proxy", "apps")
            .put("cookies", new JsonObject().put("sid", BOB)).encode())).build());
    assertThat(logout.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(logout.body()).getInteger("removed")).isEqualTo(1);
    for (int node = 0; node < 3; node++) {
      assertThat(app(node, BOB).statusCode()).as("node %d after logout", node + 1).isEqualTo(401);
    }
  }

  @Test
  void aLogoutEventOnTheBusEndsAUsersSessionsOnEveryNode() {
    for (int node = 0; node < 3; node++) {
      assertThat(app(node, CAROL).statusCode()).isEqualTo(200);
    }
    SESSIONS.remove(CAROL);
    Message<JsonObject> reply = Await.result(cluster.node(2).vertx().eventBus()
        .request("harp.auth.logout", new JsonObject().put("user", "carol")));
    assertThat(reply.body().getInteger("removed")).isEqualTo(1);
    for (int node = 0; node < 3; node++) {
      assertThat(app(node, CAROL).statusCode()).as("node %d after logout", node + 1).isEqualTo(401);
    }
  }

  @Test
  void keysAddedAndRevokedOnOneNodeTakeEffectOnEveryNodeWithinASecond() {
    HttpResponse<String> added = adminCall(0, "POST", "/api/auth/consumers/billing-app/keys", "{\"id\": \"k1\"}");
    assertThat(added.statusCode()).isEqualTo(201);
    String key = new JsonObject(added.body()).getString("key");
    generatedKeys.put("k1", key);
    Await.until("every node accepts the new key", Duration.ofSeconds(1),
        () -> api(0, key) == 200 && api(1, key) == 200 && api(2, key) == 200);

    assertThat(adminCall(1, "DELETE", "/api/auth/consumers/billing-app/keys/k1", null).statusCode()).isEqualTo(200);
    assertThat(api(1, key)).as("the node that revoked it, at once").isEqualTo(401);
    Await.until("every node refuses the revoked key", Duration.ofSeconds(1),
        () -> api(0, key) == 401 && api(2, key) == 401);
    for (int node = 0; node < 3; node++) {
      assertThat(api(node, key)).as("node %d stays refusing", node + 1).isEqualTo(401);
    }
  }

  private static HttpResponse<String> app(int node, String sid) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.spec(node).proxyPort(0) + "/home"))
        .header("Cookie", "sid=" + sid).timeout(Duration.ofSeconds(20)).build());
  }

  private static int api(int node, String key) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.spec(node).proxyPort(1) + "/v1"))
        .header("X-Api-Key", key).timeout(Duration.ofSeconds(20)).build()).statusCode();
  }

  private static HttpResponse<String> adminCall(int node, String method, String path, String json) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.node(node).adminPort() + path))
        .header("Authorization", TestAdmin.basic()).header("Content-Type", "application/json")
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
        .timeout(Duration.ofSeconds(20)).build());
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
    }
  }
}
