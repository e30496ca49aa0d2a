package dev.harp.dashboard;

import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.TestAdmin;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in Debian's Chromium against a real 3-member cluster: the browser is connected to node-1's admin
 * port, traffic goes through the other nodes, and the page must show it live. Ordered: the last test stops a member.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

  private static final String SECRET = "Bearer s3cr3t-" + UUID.randomUUID();
  private static final String COOKIE_SECRET = "sess-" + UUID.randomUUID();
  /** A credential HARP itself adds upstream (auth.inject): the echoing upstream sends it back in its body. */
  private static final String INJECTED = "inj-" + UUID.randomUUID();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private static TestUpstream upstream;
  private static HarpTestCluster cluster;
  private static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    browser = Browser.start(); // first: skips before a cluster is built when the tools are missing
    upstream = TestUpstream.start().handler(req -> req.body().onSuccess(body -> {
      // Echoes what it got, headers included, as an upstream that reflects credentials would.
      JsonObject headers = new JsonObject();
      req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
      req.response().putHeader("Content-Type", "application/json")
          .putHeader("Set-Cookie", "upstream-session=" + COOKIE_SECRET + "; HttpOnly")
          .end(new JsonObject().put("path", req.path()).put("headers", headers).put("body", body.toString())
              .put("password", "hunter2").encode());
    }));
    cluster = HarpTestCluster.start(3, spec -> spec.baseConfig() + """
        proxies:
          - name: api
            port: %d
            upstream: {endpoints: [%s]}
            capture: {bodyPreview: 1KiB}
            auth:
              inject:
                - header: {name: X-Upstream-Key, value: %s}
        """.formatted(spec.proxyPort(0), upstream.url(), INJECTED));
    // Logged in the way a person would: the browser then sends the Basic credentials with every request to this
    // origin, the page's scripts and its SockJS connection included.
    browser.driver.get("http://" + TestAdmin.USER + ":" + TestAdmin.PASSWORD + "@127.0.0.1:"
        + cluster.spec(0).adminPort() + "/dashboard/");
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  @Order(0)
  void theDashboardAndItsBridgeRequireTheAdminLogin() throws Exception {
    String admin = "http://127.0.0.1:" + cluster.spec(0).adminPort();
    for (String path : new String[] {"/dashboard/", "/dashboard/app.js", "/eventbus/info"}) {
      assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(admin + path)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode()).as(path).isEqualTo(401);
      assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(admin + path)).header("Authorization", TestAdmin.basic())
          .build(), HttpResponse.BodyHandlers.discarding()).statusCode()).as(path).isEqualTo(200);
    }
  }

  @Test
  @Order(1)
  void pageLoadsWithEveryMemberReadyAndNoConsoleErrors() throws Exception {
    browser.waitUpTo(Duration.ofSeconds(15)).until(d -> d.findElements(
        By.cssSelector("#nodes tbody tr[data-state='ready']")).size() == 3);
    // The node whose bridge the page uses answers its requests itself.
    browser.waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElement(By.id("conn-text")).getText()
        .equals("live via node-1"));
    browser.screenshot("cluster");
    assertThat(browser.consoleErrors()).isEmpty();
  }

  @Test
  @Order(2)
  void trafficMovesTheRequestRateChartAndReachesTheTailWithinTwoSeconds() throws Exception {
    browser.driver.findElement(By.cssSelector("#tabs button[data-view='transactions']")).click();
    String id = "tail-" + UUID.randomUUID();
    long sent = System.nanoTime();
    assertThat(get(1, "/orders/42", id).statusCode()).isEqualTo(200);
    browser.waitUpTo(Duration.ofSeconds(2)).until(d -> !d.findElements(
        By.cssSelector("#tx tbody tr[data-request-id='" + id + "']")).isEmpty());
    long tailMs = (System.nanoTime() - sent) / 1_000_000;
    WebElement row = browser.driver.findElement(By.cssSelector("#tx tbody tr[data-request-id='" + id + "']"));
    assertThat(row.getAttribute("data-node")).isEqualTo("node-2");
    assertThat(row.getText()).contains("/orders/42").contains("200");
    browser.waitUpTo(Duration.ofSeconds(2).minusMillis(tailMs)).until(d -> rps() > 0);
    browser.screenshot("transactions-tail");
    browser.driver.findElement(By.cssSelector("#tabs button[data-view='traffic']")).click();
    browser.screenshot("traffic");
  }

  @Test
  @Order(3)
  void searchByRequestIdFindsTheTransactionOnTheNodeThatServedIt() throws Exception {
    browser.driver.findElement(By.cssSelector("#tabs button[data-view='transactions']")).click();
    String id = "search-" + UUID.randomUUID();
    assertThat(get(2, "/search/me", id).statusCode()).isEqualTo(200);
    // Once it is in the tail it is in node-3's store: the store is filled just before the batch is published.
    browser.waitUpTo(Duration.ofSeconds(2)).until(d -> !d.findElements(
        By.cssSelector("#tx tbody tr[data-request-id='" + id + "']")).isEmpty());
    // Clear the tail, so only a search result can satisfy the wait below.
    browser.js("document.querySelector('#tx tbody').textContent = ''");
    browser.driver.findElement(By.id("q-requestId")).sendKeys(id);
    browser.driver.findElement(By.id("q-go")).click();
    browser.waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElements(By.cssSelector("#tx tbody tr")).size() == 1
        && !d.findElements(By.cssSelector("#tx tbody tr[data-request-id='" + id + "']")).isEmpty());
    WebElement row = browser.driver.findElement(By.cssSelector("#tx tbody tr[data-request-id='" + id + "']"));
    assertThat(row.getAttribute("data-node")).isEqualTo("node-3");
    assertThat(browser.driver.findElement(By.id("tx-note")).getText())
        .contains("node-1: 0 matched").contains("node-2: 0 matched").contains("node-3: 1 matched");
  }

  @Test
  @Order(4)
  void theDetailViewShowsHeadersAndBodiesWithoutAnyCredential() throws Exception {
    browser.driver.findElement(By.id("q-live")).click();
    String id = "detail-" + UUID.randomUUID();
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(proxy(1) + "/login"))
        .header("X-Request-Id", id).header("Authorization", SECRET).header("Cookie", "sid=" + COOKIE_SECRET)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"ann\",\"password\":\"hunter2\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).as("the upstream really echoed the credentials").contains(SECRET).contains(INJECTED);
    browser.waitUpTo(Duration.ofSeconds(2)).until(d -> !d.findElements(
        By.cssSelector("#tx tbody tr[data-request-id='" + id + "']")).isEmpty());
    browser.driver.findElement(By.cssSelector("#tx tbody tr[data-request-id='" + id + "']")).click();
    browser.waitUpTo(Duration.ofSeconds(5)).until(d -> !d.findElements(By.cssSelector(".body-response")).isEmpty());
    String detail = browser.driver.findElement(By.id("detail")).getText();
    String html = browser.driver.findElement(By.id("detail")).getAttribute("innerHTML");
    browser.screenshot("detail");
    assertThat(detail).contains("/login").contains(id).contains("node-2")
        .contains("authorization").contains("[REDACTED]").contains("\"user\":\"ann\"");
    for (String secret : new String[] {SECRET, SECRET.substring(7), COOKIE_SECRET, "hunter2", INJECTED}) {
      assertThat(html).as("detail view must not contain %s", secret).doesNotContain(secret);
    }
    browser.driver.findElement(By.id("detail-close")).click();
  }

  @Test
  @Order(5)
  void theConfigViewShowsEveryNodeAndThatTheyAgree() throws Exception {
    browser.driver.findElement(By.cssSelector("#tabs button[data-view='config']")).click();
    browser.waitUpTo(Duration.ofSeconds(5)).until(d -> d.findElement(By.id("config-verdict")).getText()
        .contains("agree"));
    assertThat(browser.driver.findElement(By.id("config-verdict")).getText()).isEqualTo("The 3 nodes agree");
    String shown = browser.driver.findElement(By.id("config-json")).getText();
    assertThat(shown).contains("\"bodyPreview\": 1024").contains("X-Upstream-Key").doesNotContain(INJECTED);
    assertThat(browser.driver.getPageSource()).doesNotContain(INJECTED);
    browser.screenshot("config");
  }

  @Test
  @Order(6)
  void aStoppedMemberTurnsRedWithinTwoSeconds() throws Exception {
    browser.driver.findElement(By.cssSelector("#tabs button[data-view='cluster']")).click();
    cluster.stop(2);
    long stopped = System.nanoTime();
    browser.waitUpTo(Duration.ofSeconds(2)).until(d -> !d.findElements(
        By.cssSelector("#nodes tbody tr[data-node='node-3'][data-state='gone']")).isEmpty());
    System.out.printf("node-3 red %d ms after stop() returned%n", (System.nanoTime() - stopped) / 1_000_000);
    // The survivors stay up (they may report "joining" while Hazelcast re-balances node-3's partitions).
    assertThat(browser.driver.findElements(By.cssSelector("#nodes tbody tr[data-state='gone']"))).hasSize(1);
    browser.screenshot("member-gone");
    assertThat(browser.consoleErrors()).isEmpty();
  }

  private static double rps() {
    Object last = browser.js("return document.getElementById('chart-rps').dataset.last || '0'");
    return Double.parseDouble(String.valueOf(last));
  }

  private static String proxy(int node) {
    return "http://127.0.0.1:" + cluster.spec(node).proxyPort(0);
  }

  private static HttpResponse<String> get(int node, String path, String requestId) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(proxy(node) + path)).header("X-Request-Id", requestId)
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
