package dev.harp.admin.auth;

import dev.harp.secrets.KeyHash;
import dev.harp.node.HarpNode;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.LogCapture;
import dev.harp.testkit.Ports;
import dev.harp.testkit.TestAdmin;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin port of a real node: who gets in, how, what it costs, and what is never logged. */
class AuthAdminGuardTest {

  private static final String TOKEN = KeyHash.newSecret("harp_");
  private static final String BROWSER_PASSWORD = "browser-password-" + System.nanoTime();
  private static final String SLOW_PASSWORD = "slow-password-" + System.nanoTime();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private static LogCapture logs;
  private static HarpNode node;
  private static int adminPort;

  @BeforeAll
  static void start() {
    logs = LogCapture.start();
    adminPort = Ports.free();
    // Cost 13 (~1 s here) makes a running check easy to tell from a finished one; cost 4 keeps the others quick.
    String slowHash = PasswordHashing.hash(SLOW_PASSWORD, 13);
    String browserHash = PasswordHashing.hash(BROWSER_PASSWORD, 4);
    node = HarpTestCluster.single("""
        node: {name: admin-auth, eventLoops: 1}
        admin:
          bind: 127.0.0.1
          port: %d
          users:
            - %s
            - {name: browser, passwordHash: '%s'}
            - {name: slow, passwordHash: '%s'}
          tokens: [{name: ci, sha256: %s}]
        proxies:
          - {name: api, bind: 127.0.0.1, port: %d, upstream: {endpoints: ['http://127.0.0.1:9']}}
        """.formatted(adminPort, TestAdmin.USER_YAML, browserHash, slowHash, KeyHash.sha256Hex(TOKEN), Ports.free()));
  }

  @AfterAll
  static void stop() {
    try {
      if (node != null) {
        Await.result(node.stop(), Duration.ofSeconds(30));
      }
      logs.assertNoLineContains(TestAdmin.PASSWORD, TOKEN, BROWSER_PASSWORD, SLOW_PASSWORD,
          TestAdmin.basic().substring(6));
    } finally {
      logs.close();
    }
  }

  @Test
  void withoutCredentialsOnlyHealthIsServed() {
    for (String path : List.of("/metrics", "/", "/dashboard/", "/api/consumers", "/no-such-page",
        "/health/../metrics", "/health/%2e%2e/metrics", "//metrics", "/METRICS")) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(401);
      assertThat(r.headers().allValues("www-authenticate")).as(path)
          .contains("Basic realm=\"HARP admin\", charset=\"UTF-8\"", "Bearer realm=\"HARP admin\"");
      assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
      assertThat(new JsonObject(r.body()).getString("type")).isEqualTo("https://harp.dev/problems/unauthorized");
    }
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void basicLoginsAndBearerTokensAreCheckedAgainstTheirHashes() {
    assertThat(get("/metrics", "Authorization", TestAdmin.basic()).statusCode()).isEqualTo(200);
    assertThat(get("/metrics", "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
    assertThat(get("/metrics", "Authorization", "bearer  " + TOKEN).statusCode()).as("scheme is case-insensitive")
        .isEqualTo(200);

    assertThat(get("/metrics", "Authorization", TestAdmin.basic(TestAdmin.USER, "wrong")).statusCode()).isEqualTo(401);
    assertThat(get("/metrics", "Authorization", TestAdmin.basic("nobody", TestAdmin.PASSWORD)).statusCode())
        .isEqualTo(401);
    assertThat(get("/metrics", "Authorization", "Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
    assertThat(get("/metrics", "Authorization", "Bearer " + KeyHash.sha256Hex(TOKEN)).statusCode())
        .as("the stored hash is not a token").isEqualTo(401);
    assertThat(get("/metrics", "Authorization", "Basic !!!").statusCode()).isEqualTo(401);
    assertThat(get("/metrics", "Authorization", "Digest username=x").statusCode()).isEqualTo(401);
    assertThat(logs.linesContaining("admin login refused for user 'nobody'")).isNotEmpty();
  }

  @Test
  void aBrowsersRepeatedRequestsPayForBcryptOnce() {
    double before = passwordChecks();
    String login = TestAdmin.basic("browser", BROWSER_PASSWORD);
    List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      burst.add(HTTP.sendAsync(request("/dashboard/", "Authorization", login), HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> r : burst) {
      assertThat(r.orTimeout(20, TimeUnit.SECONDS).join().statusCode()).isNotEqualTo(401);
    }
    for (int i = 0; i < 8; i++) {
      assertThat(get("/metrics", "Authorization", login).statusCode()).isEqualTo(200);
    }
    assertThat(passwordChecks() - before).as("bcrypt runs for 20 requests of one login").isEqualTo(1.0);
  }

  @Test
  void bcryptRunsOffTheEventLoop() {
    CompletableFuture<HttpResponse<String>> slowLogin = HTTP.sendAsync(
        request("/metrics", "Authorization", TestAdmin.basic("slow", SLOW_PASSWORD)),
        HttpResponse.BodyHandlers.ofString());
    // The admin server has one event loop: if bcrypt ran on it, this answer would wait for the login's.
    HttpResponse<String> health = get("/health/live");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(slowLogin).as("the cost-13 check is still running").isNotDone();
    assertThat(slowLogin.orTimeout(30, TimeUnit.SECONDS).join().statusCode()).isEqualTo(200);
  }

  @Test
  void crossSiteRequestsCannotRideOnABrowsersBasicLogin() {
    String login = TestAdmin.basic();
    HttpResponse<String> evil = send(post("/api/anything", "Authorization", login,
        "Origin", "http://evil.example"));
    assertThat(evil.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(evil.body()).getString("type")).isEqualTo("https://harp.dev/problems/forbidden");
    assertThat(send(post("/api/anything", "Authorization", login, "Sec-Fetch-Site", "cross-site")).statusCode())
        .isEqualTo(403);
    // Past the guard, a route that does not exist: 404.
    assertThat(send(post("/api/anything", "Authorization", login, "Origin", "http://127.0.0.1:" + adminPort))
        .statusCode()).isEqualTo(404);
    assertThat(send(post("/api/anything", "Authorization", "Bearer " + TOKEN, "Origin", "http://evil.example"))
        .statusCode()).as("bearer tokens are never sent by a browser on its own").isEqualTo(404);
  }

  @Test
  void healthCanBeClosedAndMetricsOpened() {
    int port = Ports.free();
    HarpNode other = HarpTestCluster.single("""
        node: {name: admin-open, eventLoops: 1}
        admin: {bind: 127.0.0.1, port: %d, users: [%s], openHealth: false, openMetrics: true}
        proxies:
          - {name: api, bind: 127.0.0.1, port: %d, upstream: {endpoints: ['http://127.0.0.1:9']}}
        """.formatted(port, TestAdmin.USER_YAML, Ports.free()));
    try {
      String base = "http://127.0.0.1:" + port;
      assertThat(send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build()).statusCode()).isEqualTo(200);
      assertThat(send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build()).statusCode())
          .isEqualTo(401);
      assertThat(send(HttpRequest.newBuilder(URI.create(base + "/health/ready"))
          .header("Authorization", TestAdmin.basic()).build()).statusCode()).isEqualTo(200);
    } finally {
      Await.result(other.stop(), Duration.ofSeconds(30));
    }
  }

  private static double passwordChecks() {
    String metrics = get("/metrics", "Authorization", "Bearer " + TOKEN).body();
    Matcher m = Pattern.compile("(?m)^harp_admin_password_checks_total(?:\\{[^}]*})? ([0-9.eE+]+)$").matcher(metrics);
    assertThat(m.find()).as("harp_admin_password_checks_total in\n%s", metrics).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static HttpRequest request(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
        .timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return b.build();
  }

  private static HttpRequest post(String path, String... headers) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path)).headers(headers)
        .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
  }

  private static HttpResponse<String> get(String path, String... headers) {
    return send(request(path, headers));
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed", e);
    }
  }
}
