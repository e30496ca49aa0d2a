package dev.harp.ban;

import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.eventbus.MessageConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bans on a real 3-member cluster. Clients are told apart by their source address: each test client binds its
 * sockets to its own loopback address (127.0.0.2, .3, ...), and still only ever talks to 127.0.0.1.
 */
class BanClusterTest {

  private static TestUpstream upstream;
  private static HarpTestCluster cluster;
  private static Vertx clients;
  private static final Map<String, HttpClient> FROM = new ConcurrentHashMap<>();
  private static final List<JsonObject> EVENTS = new CopyOnWriteArrayList<>();
  private static MessageConsumer<JsonObject> consumer;

  record Answer(int status, MultiMap headers, String body) {
  }

  @BeforeAll
  static void startCluster() {
    // The upstream plays the login service: a wrong password is a 401.
    upstream = TestUpstream.start().handler(req -> req.response()
        .setStatusCode(req.path().startsWith("/login/bad") ? 401 : 200).end("ok"));
    clients = Vertx.vertx();
    cluster = HarpTestCluster.start(3, spec -> spec.baseConfig() + """
        proxies:
          - name: app
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: ['%s']}
            clientAddress: {trustedProxies: [127.0.0.4/32]}
            ban: {statuses: [401], threshold: 5, window: 1m, duration: 4s, allow: [127.0.0.5/32]}
            rateLimit: {limits: [{requests: 1000, per: 1s}], clusterTimeout: 2s}
          - name: other
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: ['%s']}
        """.formatted(spec.proxyPort(0), upstream.url(), spec.proxyPort(1), upstream.url()));
    consumer = cluster.node(2).vertx().eventBus().<JsonObject>consumer(BanEvents.ADDRESS, m -> EVENTS.add(m.body()));
    Await.result(consumer.completion());
    // The client's first write initialises Vert.x's JFR events (over a second on a busy machine): do it here, where
    // the blocked-loop detector does not look, rather than in the first test.
    assertThat(get("127.0.0.9", 0, "/warm-up").status()).isEqualTo(200);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
    if (clients != null) {
      Await.result(clients.close());
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private static Answer send(String from, int node, int proxy, HttpMethod method, String path, MultiMap headers,
                             String body) {
    HttpClient client = FROM.computeIfAbsent(from, a -> clients.createHttpClient(new HttpClientOptions()
        .setLocalAddress(a).setKeepAlive(false)));
    int port = proxy < 0 ? cluster.node(node).adminPort() : cluster.spec(node).proxyPort(proxy);
    RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path)
        .setTimeout(10_000);
    if (headers != null) {
      options.setHeaders(headers);
    }
    return Await.result(client.request(options).compose(req -> (body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.headers(), b.toString())))),
        Duration.ofSeconds(20));
  }

  private static Answer get(String from, int node, String path) {
    return send(from, node, 0, HttpMethod.GET, path, null, null);
  }

  private static Answer admin(int node, HttpMethod method, String path, JsonObject body) {
    MultiMap login = MultiMap.caseInsensitiveMultiMap().add("Authorization", dev.harp.testkit.TestAdmin.basic());
    if (body != null) {
      login.add("Content-Type", "application/json");
    }
    return send("127.0.0.1", node, -1, method, path, login, body == null ? null : body.encode());
  }

  private static boolean listed(int node, String client) {
    return new JsonObject(admin(node, HttpMethod.GET, "/api/bans", null).body()).getJsonArray("bans").stream()
        .anyMatch(b -> client.equals(((JsonObject) b).getString("client")));
  }

  private static void awaitEvent(String type, String client) {
    Await.until(type + " event for " + client, Duration.ofSeconds(10), () -> EVENTS.stream()
        .anyMatch(e -> type.equals(e.getString("type")) && client.equals(e.getJsonObject("ban").getString("client"))));
  }

  @Test
  void crossingTheThresholdBansTheClientOnEveryNodeUntilTheBanExpires() {
    String attacker = "127.0.0.2";
    for (int i = 0; i < 4; i++) {
      assertThat(get(attacker, i % 3, "/login/bad").status()).isEqualTo(401);
    }
    assertThat(listed(0, attacker)).as("4 failures of 5: not yet").isFalse();
    assertThat(get(attacker, 0, "/login/bad").status()).isEqualTo(401);
    awaitEvent("banned", attacker);
    for (int node = 0; node < 3; node++) {
      int n = node;
      Await.until("node " + n + " sees the ban", Duration.ofSeconds(10), () -> listed(n, attacker));
    }
    int seenBefore = upstream.seen().size();
    for (int node = 0; node < 3; node++) {
      Answer a = get(attacker, node, "/login/good");
      assertThat(a.status()).isEqualTo(403);
      assertThat(a.headers().get("Content-Type")).isEqualTo("application/problem+json");
      assertThat(new JsonObject(a.body()).getString("type")).isEqualTo("https://harp.dev/problems/banned");
      assertThat(a.headers().get("Retry-After")).isNotNull();
      assertThat(a.headers().get("RateLimit-Policy")).as("refused before the rate limit ran").isNull();
    }
    assertThat(upstream.seen()).as("banned requests never reach the upstream").hasSize(seenBefore);
    assertThat(get("127.0.0.3", 1, "/login/good").status()).as("other clients are not affected").isEqualTo(200);
    assertThat(send(attacker, 1, 1, HttpMethod.GET, "/x", null, null).status())
        .as("a threshold ban is for the proxy it was earned on").isEqualTo(200);
    JsonObject event = EVENTS.stream().filter(e -> attacker.equals(e.getJsonObject("ban").getString("client")))
        .findFirst().orElseThrow();
    assertThat(event.getJsonObject("ban").getString("source")).isEqualTo("threshold");
    assertThat(event.getJsonObject("ban").getString("proxy")).isEqualTo("app");
    assertThat(cluster.node(0).metrics().scrape() + cluster.node(1).metrics().scrape()
        + cluster.node(2).metrics().scrape()).contains("harp_bans_rejected_total{proxy=\"app\"} 1.0");

    // Expiry: the ban lasts 4 s; afterwards the client is served again, and its failure count starts afresh.
    Await.until("the ban expires", Duration.ofSeconds(20), () -> get(attacker, 2, "/login/good").status() == 200);
    assertThat(get(attacker, 0, "/login/bad").status()).isEqualTo(401);
    assertThat(get(attacker, 1, "/login/good").status()).isEqualTo(200);
  }

  @Test
  void allowListedClientsAndTrustedProxiesAreNeverBanned() {
    String allowed = "127.0.0.5";
    for (int i = 0; i < 12; i++) {
      assertThat(get(allowed, i % 3, "/login/bad").status()).isEqualTo(401);
    }
    Answer manual = admin(0, HttpMethod.POST, "/api/bans", new JsonObject().put("client", allowed));
    assertThat(manual.status()).isEqualTo(409);
    assertThat(get(allowed, 0, "/login/good").status()).isEqualTo(200);

    // Behind the trusted proxy 127.0.0.4, clients are told apart by X-Forwarded-For.
    String lb = "127.0.0.4";
    MultiMap evil = MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-For", "6.6.6.6, 198.51.100.7");
    for (int i = 0; i < 5; i++) {
      assertThat(send(lb, i % 3, 0, HttpMethod.GET, "/login/bad", evil, null).status()).isEqualTo(401);
    }
    awaitEvent("banned", "198.51.100.7");
    Await.until("every node sees the ban", Duration.ofSeconds(10),
        () -> listed(0, "198.51.100.7") && listed(1, "198.51.100.7") && listed(2, "198.51.100.7"));
    assertThat(send(lb, 1, 0, HttpMethod.GET, "/login/good", evil, null).status()).isEqualTo(403);
    MultiMap neighbour = MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-For", "198.51.100.8");
    assertThat(send(lb, 1, 0, HttpMethod.GET, "/login/good", neighbour, null).status()).isEqualTo(200);
    assertThat(get(lb, 2, "/login/good").status()).as("the trusted proxy itself").isEqualTo(200);
    assertThat(listed(0, lb)).isFalse();
    assertThat(listed(0, "6.6.6.6")).as("the client-written part of the chain is not believed").isFalse();
  }

  @Test
  void adminBansAndLiftsByHandOnEveryNodeWithEvents() {
    String client = "127.0.0.6";
    Answer made = admin(0, HttpMethod.POST, "/api/bans", new JsonObject().put("client", client)
        .put("duration", "10m").put("reason", "credential stuffing"));
    assertThat(made.status()).isEqualTo(201);
    JsonObject ban = new JsonObject(made.body());
    assertThat(ban.getString("proxy")).isEqualTo("*");
    assertThat(ban.getString("source")).isEqualTo("admin");
    assertThat(ban.getString("reason")).isEqualTo("credential stuffing");
    awaitEvent("banned", client);
    Await.until("every node sees it", Duration.ofSeconds(10),
        () -> listed(0, client) && listed(1, client) && listed(2, client));
    assertThat(get(client, 2, "/a").status()).isEqualTo(403);
    assertThat(send(client, 1, 1, HttpMethod.GET, "/a", null, null).status())
        .as("a ban without a proxy holds on every proxy, even one without a ban block").isEqualTo(403);

    Answer lifted = admin(2, HttpMethod.DELETE, "/api/bans/" + client, null);
    assertThat(lifted.status()).isEqualTo(200);
    assertThat(new JsonObject(lifted.body()).getJsonArray("lifted")).hasSize(1);
    awaitEvent("lifted", client);
    Await.until("lifted everywhere", Duration.ofSeconds(10),
        () -> !listed(0, client) && !listed(1, client) && !listed(2, client));
    assertThat(get(client, 0, "/a").status()).isEqualTo(200);
    assertThat(admin(1, HttpMethod.DELETE, "/api/bans/" + client, null).status()).isEqualTo(404);

    assertThat(admin(0, HttpMethod.POST, "/api/bans", new JsonObject().put("client", "example.com")).status())
        .isEqualTo(400);
    assertThat(admin(0, HttpMethod.POST, "/api/bans", new JsonObject().put("client", "1.2.3.4")
        .put("proxy", "nope")).status()).isEqualTo(400);
    Answer badDuration = admin(0, HttpMethod.POST, "/api/bans", new JsonObject().put("client", "1.2.3.4")
        .put("duration", "soon"));
    assertThat(badDuration.status()).isEqualTo(400);
    assertThat(new JsonObject(badDuration.body()).getString("detail")).startsWith("duration: 'soon' is not");
  }

}
