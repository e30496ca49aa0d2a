package dev.harp.auth;

import dev.harp.engine.ExchangeAttributes;
import dev.harp.secrets.KeyHash;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Consumers and their API keys on one node: where keys are read, what the upstream and later interceptors see. */
class AuthKeysTest extends AuthTestBase {

  private static final String BILLING_KEY = KeyHash.newSecret("harp_");
  private static final String REPORTS_KEY = KeyHash.newSecret("harp_");
  private static final String OUTSIDER_KEY = KeyHash.newSecret("harp_");

  private void startWithConsumers() {
    upstream = upstream();
    start("""
        apiKeys: {header: X-Api-Key, queryParam: api_key, allow: [billing-app, reports-app]}
        """, """
        consumers:
          - name: billing-app
            keys: [{id: 2024-01, sha256: %s}]
          - name: reports-app
            groups: [internal]
            keys: [{id: main, sha256: %s}]
          - name: outsider
            keys: [{id: k, sha256: %s}]
        """.formatted(KeyHash.sha256Hex(BILLING_KEY), KeyHash.sha256Hex(REPORTS_KEY),
        KeyHash.sha256Hex(OUTSIDER_KEY)));
  }

  @Test
  void aKeyNamesItsConsumerAndNeverReachesTheUpstream() {
    startWithConsumers();
    List<Object> consumersSeenByLaterInterceptors = new CopyOnWriteArrayList<>();
    node.proxy("api").addInterceptor(ex -> {
      // An engine interceptor after every filter: it reads where the engine keeps the SPI's Attachments.CONSUMER.
      consumersSeenByLaterInterceptors.add(ex.attributes().get(ExchangeAttributes.CONSUMER));
      ex.proceed();
    });

    assertThat(get("/invoices", "X-Api-Key", BILLING_KEY, "X-Consumer", "reports-app").statusCode())
        .isEqualTo(200);
    assertThat(get("/invoices?year=2024&api_key=" + REPORTS_KEY + "&x=1").statusCode()).isEqualTo(200);
    assertThat(get("/invoices", "X-Api-Key", "Bearer " + BILLING_KEY).statusCode()).isEqualTo(200);

    List<TestUpstream.Seen> seen = upstream.seen();
    assertThat(seen).hasSize(3);
    assertThat(seen.get(0).headers().get("X-Api-Key")).isNull();
    assertThat(seen.get(0).headers().getAll("X-Consumer")).as("HARP's, not the client's")
        .containsExactly("billing-app");
    assertThat(seen.get(1).uri()).isEqualTo("/invoices?year=2024&x=1");
    assertThat(seen.get(1).headers().get("X-Consumer")).isEqualTo("reports-app");
    assertThat(consumersSeenByLaterInterceptors).containsExactly("billing-app", "reports-app", "billing-app");
  }

  @Test
  void unknownNotAllowedAndMissingKeysAreRefused() {
    startWithConsumers();
    HttpResponse<String> unknown = get("/x", "X-Api-Key", "harp_not-a-key");
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(unknown.headers().firstValue("WWW-Authenticate")).hasValue("ApiKey header=\"X-Api-Key\"");
    assertThat(get("/x").statusCode()).isEqualTo(401);
    assertThat(get("/x?api_key=").statusCode()).isEqualTo(401);
    assertThat(get("/x", "X-Api-Key", OUTSIDER_KEY).statusCode()).as("not in apiKeys.allow").isEqualTo(403);
    assertThat(upstream.seen()).isEmpty();
  }

  @Test
  void keysAreAddedListedAndRevokedThroughTheAdminApi() {
    startWithConsumers();
    HttpResponse<String> added = admin("POST", "/api/auth/consumers/billing-app/keys", "{\"id\": \"2024-02\"}");
    assertThat(added.statusCode()).isEqualTo(201);
    String newKey = new JsonObject(added.body()).getString("key");
    assertThat(newKey).startsWith("harp_").hasSizeGreaterThan(40);
    assertThat(get("/x", "X-Api-Key", newKey).statusCode()).isEqualTo(200);

    String ownKey = KeyHash.newSecret("own_");
    assertThat(admin("POST", "/api/auth/consumers/reports-app/keys",
        "{\"id\": \"ci\", \"sha256\": \"" + KeyHash.sha256Hex(ownKey) + "\"}").statusCode()).isEqualTo(201);
    assertThat(get("/x", "X-Api-Key", ownKey).statusCode()).isEqualTo(200);
    assertThat(admin("POST", "/api/auth/consumers/reports-app/keys",
        "{\"id\": \"ci\", \"sha256\": \"" + KeyHash.sha256Hex(ownKey) + "\"}").statusCode()).isEqualTo(409);

    HttpResponse<String> list = admin("GET", "/api/auth/consumers", null);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).doesNotContain(newKey).doesNotContain(KeyHash.sha256Hex(newKey))
        .doesNotContain(KeyHash.sha256Hex(BILLING_KEY));
    JsonArray consumers = new JsonObject(list.body()).getJsonArray("consumers");
    JsonObject billing = consumers.stream().map(JsonObject.class::cast)
        .filter(c -> c.getString("name").equals("billing-app")).findFirst().orElseThrow();
    assertThat(billing.getJsonArray("keys").stream().map(k -> ((JsonObject) k).getString("id")))
        .containsExactlyInAnyOrder("2024-01", "2024-02");

    assertThat(admin("DELETE", "/api/auth/consumers/billing-app/keys/2024-01", null).statusCode()).isEqualTo(200);
    assertThat(get("/x", "X-Api-Key", BILLING_KEY).statusCode()).as("revoked").isEqualTo(401);
    assertThat(get("/x", "X-Api-Key", newKey).statusCode()).as("the consumer's other key").isEqualTo(200);
    assertThat(admin("DELETE", "/api/auth/consumers/billing-app/keys/2024-01", null).statusCode()).isEqualTo(404);
    assertThat(admin("POST", "/api/auth/consumers/billing-app/keys", "{\"id\": \"bad id\"}").statusCode())
        .isEqualTo(400);
    assertThat(admin("POST", "/api/auth/consumers/billing-app/keys", "not json").statusCode()).isEqualTo(400);
  }

  @Test
  void rateLimitsByConsumerCountEachApplicationApart() {
    upstream = upstream();
    start("""
        apiKeys: {header: X-Api-Key}
        """, """
        consumers:
          - {name: billing-app, keys: [{id: k, sha256: %s}]}
          - {name: reports-app, keys: [{id: k, sha256: %s}]}
        """.formatted(KeyHash.sha256Hex(BILLING_KEY), KeyHash.sha256Hex(REPORTS_KEY)),
        "rateLimit: {by: consumer, limits: [{requests: 2, per: 1h}]}");
    assertThat(get("/a", "X-Api-Key", BILLING_KEY).statusCode()).isEqualTo(200);
    assertThat(get("/a", "X-Api-Key", BILLING_KEY).statusCode()).isEqualTo(200);
    assertThat(get("/a", "X-Api-Key", BILLING_KEY).statusCode()).as("billing-app's own limit").isEqualTo(429);
    assertThat(get("/a", "X-Api-Key", REPORTS_KEY).statusCode()).as("another consumer, another count")
        .isEqualTo(200);
  }
}
