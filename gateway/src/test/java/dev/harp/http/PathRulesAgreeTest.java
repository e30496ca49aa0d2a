package dev.harp.http;

import dev.harp.node.HarpNode;
import dev.harp.secrets.KeyHash;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.LogCapture;
import dev.harp.testkit.Ports;
import dev.harp.testkit.TestAdmin;
import dev.harp.testkit.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13, item 4: every feature that matches paths sees the same canonical path, or HARP refuses the request with
 * 400 before any feature acts. One real node; proxy {@code rules} has an auth rule, a rate-limit route and a ban
 * block (bans have no path rules: they key on the client alone, so no spelling changes what they do), all on
 * {@code /login}; proxy {@code plain} has no path rules at all. On dc9b55c six of the twelve spellings were public to
 * auth but missed the rate-limit route: /LOGIN, //login, /%6cogin, /login;x=1, /Login., /%4C%4FGIN.
 */
class PathRulesAgreeTest {

  /** Spellings of /login that some upstream reads as /login. */
  static final List<String> VARIANTS = List.of("/LOGIN", "/login/", "//login", "/./login", "/x/../login",
      "/%6cogin", "/login;x=1", "/login%2f", "/Login.", "/%4C%4FGIN", "/login//", "/login/%2e");

  private static TestUpstream upstream;
  private static HarpNode node;
  private static int rulesPort;
  private static int plainPort;
  private static int adminPort;

  record Answer(int status, String head) {
  }

  @BeforeAll
  static void start() {
    upstream = TestUpstream.start();
    rulesPort = Ports.free();
    plainPort = Ports.free();
    adminPort = Ports.free();
    node = HarpTestCluster.single("""
        node: {name: path-node, drainTimeout: 2s, eventLoops: 2}
        admin: {bind: 127.0.0.1, port: %d, users: [%s]}
        consumers:
          - {name: app, keys: [{id: k1, sha256: %s}]}
        proxies:
          - name: rules
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: ['%s']}
            auth:
              apiKeys: {header: X-Api-Key}
              rules: [{path: /login, access: public}]
              access: user
            rateLimit:
              mode: local
              limits: [{name: all, requests: 100000, per: 1s}]
              routes: [{name: login, path: /login, limits: [{name: tries, requests: 100000, per: 1s}]}]
            ban: {statuses: [401], threshold: 1000}
          - name: plain
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: ['%s']}
        """.formatted(adminPort, TestAdmin.USER_YAML, dev.harp.secrets.KeyHash.sha256Hex("harp_unused-key"), rulesPort, upstream.url(), plainPort, upstream.url()));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      Await.result(node.stop(), Duration.ofSeconds(30));
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void everyFeatureSeesTheSamePathOrTheRequestIsRefused() {
    Answer login = raw(rulesPort, "/login");
    assertThat(login.status()).as("the rule itself: public").isEqualTo(200);
    assertThat(login.head()).as("the route policy applies").containsIgnoringCase("tries");
    assertThat(raw(rulesPort, "/other").status()).as("elsewhere an API key is needed").isEqualTo(401);

    List<String> disagreements = new ArrayList<>();
    int refusals = 0;
    LogCapture logs = LogCapture.start();
    for (String variant : VARIANTS) {
      int before = upstream.seen().size();
      Answer a = raw(rulesPort, variant);
      boolean reached = upstream.seen().size() > before;
      boolean refused = a.status() == 400 && !reached && a.head().contains("application/problem+json");
      boolean asLogin = a.status() == 200 && reached && a.head().toLowerCase().contains("tries");
      refusals += refused ? 1 : 0;
      if (!refused && !asLogin) {
        disagreements.add(variant + " -> " + a.status() + (reached ? " (reached upstream)" : "")
            + (a.head().toLowerCase().contains("tries") ? " (route policy)" : " (no route policy)"));
      }
    }
    assertThat(disagreements).as("variants that features read differently").isEmpty();
    logs.close();
    assertThat(logs.linesContaining("request refused")).as("each refusal logged").hasSize(refusals);
    assertThat(metrics()).as("counted like other refusals")
        .contains("harp_rejected_requests_total{proxy=\"rules\",reason=\"ambiguous-path\"} " + refusals + ".0");
  }

  @Test
  void aProxyWithoutPathRulesPassesEncodedSlashesThrough() {
    // GitLab-style project ids: /api/v4/projects/group%2Fproject. Nothing on this proxy matches paths.
    int before = upstream.seen().size();
    assertThat(raw(plainPort, "/api/v4/projects/group%2Fproject").status()).isEqualTo(200);
    assertThat(raw(plainPort, "/x/../login").status()).isEqualTo(200);
    assertThat(upstream.seen().subList(before, upstream.seen().size())).extracting(TestUpstream.Seen::uri)
        .containsExactly("/api/v4/projects/group%2Fproject", "/x/../login");
  }

  private static String metrics() {
    try {
      var http = java.net.http.HttpClient.newHttpClient();
      var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + adminPort
          + "/metrics")).header("Authorization", TestAdmin.basic()).timeout(Duration.ofSeconds(10)).build();
      return http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** java.net.http would normalise or refuse some of these targets: raw bytes on a socket instead. */
  private static Answer raw(int port, String path) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(answer).as("answer to %s", path).startsWith("HTTP/1.1 ");
      int end = answer.indexOf("\r\n\r\n");
      return new Answer(Integer.parseInt(answer.substring(9, 12)), end < 0 ? answer : answer.substring(0, end));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
