package dev.harp.auth;

import dev.harp.config.ConfigLoader;
import dev.harp.node.HarpNode;
import dev.harp.observe.EventAddresses;
import dev.harp.secrets.KeyHash;
import dev.harp.testkit.Await;
import dev.harp.testkit.LogCapture;
import dev.harp.testkit.Ports;
import dev.harp.testkit.TestAdmin;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HARP holds the upstreams' credentials: they reach the upstream, replace what clients send, and appear in no log
 * line, traffic event, metric or config view of the run.
 */
class AuthInjectTest extends AuthTestBase {

  private static final String BEARER = "sk_live_" + KeyHash.newSecret("");
  private static final String FILE_TOKEN = "tok_file_" + KeyHash.newSecret("");
  private static final String QUERY_KEY = "qk_" + KeyHash.newSecret("");
  private static final String BASIC_PASSWORD = "pw_" + KeyHash.newSecret("");
  private static final String CONSUMER_KEY = "harp_" + KeyHash.newSecret("");

  @TempDir
  Path dir;

  @Test
  void upstreamCredentialsAreInjectedAndNeverShown() throws Exception {
    upstream = upstream();
    CompletableFuture<String> webSocketAuthorization = new CompletableFuture<>();
    upstream.webSocketHandler(ws -> {
      webSocketAuthorization.complete(ws.headers().get("Authorization"));
      ws.close();
    });
    TestUpstream legacy = upstream();
    Files.writeString(dir.resolve("api-token"), FILE_TOKEN + "\n");
    int hubPort = Ports.free();
    int legacyPort = Ports.free();
    int downPort = Ports.free();
    adminPort = Ports.free();
    String yaml = """
        node: {name: hub-node, drainTimeout: 2s, eventLoops: 2}
        admin: {bind: 127.0.0.1, port: %d, users: [%s]}
        consumers:
          - {name: billing-app, keys: [{id: k1, sha256: %s}]}
        proxies:
          - name: hub
            bind: 127.0.0.1
            port: %d
            accessLog: true
            upstream: {endpoints: ['%s']}
            auth:
              apiKeys: {header: X-Api-Key}
              inject:
                - bearer: ${env:STRIPE_SECRET}
                - header: {name: X-Api-Token, value: '${file:api-token}'}
                - queryParam: {name: key, value: '${env:QUERY_KEY}'}
          - name: legacy
            bind: 127.0.0.1
            port: %d
            accessLog: true
            upstream: {endpoints: ['%s']}
            auth:
              inject: [{basic: {user: svc, password: '${env:LEGACY_PASSWORD}'}}]
          - name: down
            bind: 127.0.0.1
            port: %d
            accessLog: true
            upstream: {endpoints: ['http://127.0.0.1:%d']}
            auth:
              inject: [{queryParam: {name: key, value: '${env:QUERY_KEY}'}}, {bearer: '${env:STRIPE_SECRET}'}]
        """.formatted(adminPort, TestAdmin.USER_YAML, KeyHash.sha256Hex(CONSUMER_KEY), hubPort, upstream.url(),
        legacyPort, legacy.url(), downPort, Ports.free());
    Map<String, String> env = Map.of("STRIPE_SECRET", BEARER, "QUERY_KEY", QUERY_KEY, "LEGACY_PASSWORD",
        BASIC_PASSWORD);
    try (LogCapture logs = LogCapture.start()) {
      node = Await.result(HarpNode.start(ConfigLoader.parse(yaml, "inject-test", env, dir)), Duration.ofSeconds(60));
      List<String> events = new CopyOnWriteArrayList<>();
      node.vertx().eventBus().<JsonObject>consumer(EventAddresses.TRAFFIC, m -> events.add(m.body().encode()));

      assertThat(send(request(hubPort, "/v1/charges?limit=3&key=client-supplied", "X-Api-Key", CONSUMER_KEY,
          "Authorization", "Bearer client-token", "X-Api-Token", "client").build()).statusCode()).isEqualTo(200);
      TestUpstream.Seen seen = upstream.seen().get(0);
      assertThat(seen.headers().getAll("Authorization")).containsExactly("Bearer " + BEARER);
      assertThat(seen.headers().getAll("X-Api-Token")).containsExactly(FILE_TOKEN);
      assertThat(seen.uri()).isEqualTo("/v1/charges?limit=3&key=" + QUERY_KEY);
      assertThat(seen.headers().get("X-Api-Key")).isNull();

      assertThat(send(request(legacyPort, "/report").build()).statusCode()).isEqualTo(200);
      assertThat(legacy.seen().get(0).headers().get("Authorization")).isEqualTo("Basic "
          + Base64.getEncoder().encodeToString(("svc:" + BASIC_PASSWORD).getBytes(StandardCharsets.UTF_8)));

      assertThat(send(request(downPort, "/v1/charges?x=1").build()).statusCode()).as("upstream down").isEqualTo(502);
      assertThat(send(request(hubPort, "/v1", "X-Api-Key", "wrong-" + CONSUMER_KEY).build()).statusCode())
          .isEqualTo(401);

      Vertx client = Vertx.vertx();
      // Held until closed: Vert.x 5 shuts down a WebSocketClient that becomes unreachable, even mid-handshake
      // (vert.x #5839), which failed a CI run with "Connection closed while handshake in process".
      WebSocketClient webSockets = client.createWebSocketClient();
      try {
        WebSocket ws = Await.result(webSockets.connect(new WebSocketConnectOptions()
            .setHost("127.0.0.1").setPort(hubPort).setURI("/stream").addHeader("X-Api-Key", CONSUMER_KEY)));
        assertThat(webSocketAuthorization.get(5, TimeUnit.SECONDS)).isEqualTo("Bearer " + BEARER);
        ws.close();
      } finally {
        Await.result(webSockets.close());
        Await.result(client.close());
      }

      // Events come in batches (~100 ms): wait for the five exchanges above, not for a number of messages.
      Await.until("traffic events of every exchange", Duration.ofSeconds(10),
          () -> events.stream().mapToInt(e -> new JsonObject(e).getJsonArray("events").size()).sum() >= 5);
      String metrics = send(request(adminPort, "/metrics", "Authorization", TestAdmin.basic()).build()).body();
      assertThat(metrics).contains("harp_consumer_requests_total{consumer=\"billing-app\",proxy=\"hub\"}");
      String consumers = send(request(adminPort, "/api/auth/consumers", "Authorization", TestAdmin.basic())
          .build()).body();
      assertThat(logs.linesContaining("harp.access.hub")).as("the access log ran").isNotEmpty();
      assertThat(logs.linesContaining("harp.proxy")).as("the failure was logged").isNotEmpty();

      List<String> secrets = List.of(BEARER, FILE_TOKEN, QUERY_KEY, BASIC_PASSWORD, CONSUMER_KEY,
          Base64.getEncoder().encodeToString(("svc:" + BASIC_PASSWORD).getBytes(StandardCharsets.UTF_8)));
      for (String secret : secrets) {
        assertThat(events).as("traffic events").noneMatch(e -> e.contains(secret));
        assertThat(metrics).as("metrics").doesNotContain(secret);
        assertThat(consumers).as("admin API").doesNotContain(secret);
        assertThat(node.config().toString()).as("the config as a whole").doesNotContain(secret);
      }
      Await.result(node.stop(), Duration.ofSeconds(30));
      node = null;
      logs.assertNoLineContains(secrets.toArray(String[]::new));
    }
  }
}
