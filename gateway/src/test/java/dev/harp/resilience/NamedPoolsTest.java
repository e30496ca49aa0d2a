package dev.harp.resilience;

import dev.harp.testkit.Await;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Named upstream pools ({@code upstream.pools}) chosen by a CEL rule ({@code pool:}), on a real node: the endpoint
 * choice, retries and availability stay within the chosen pool.
 */
class NamedPoolsTest {

  private static final String CANARY_RULE = """
      rules:
        - name: canary
          when: "'x-canary' in request.headers"
          pool: canary
      """;

  private final SingleNode harp = new SingleNode();

  @AfterEach
  void close() {
    harp.close();
  }

  private TestUpstream named(String name) {
    return harp.upstream().handler(req -> req.response().end(name));
  }

  @Test
  void aPoolRuleRoutesMatchingRequestsToThePoolAndEveryOtherRequestToThePrimary() {
    TestUpstream primary = named("primary");
    TestUpstream canary = named("canary");
    harp.start("""
        upstream:
          endpoints: [%s]
          pools: [{name: canary, endpoints: [%s]}]
        """.formatted(primary.url(), canary.url()) + CANARY_RULE);
    for (int i = 0; i < 5; i++) {
      assertThat(Client.get(harp.proxyPort, "/a").body()).isEqualTo("primary");
      assertThat(Client.get(harp.proxyPort, "/a", "X-Canary", "1").body()).isEqualTo("canary");
    }
    assertThat(primary.seen()).hasSize(5);
    assertThat(canary.seen()).hasSize(5).allSatisfy(s -> assertThat(s.headers().get("X-Canary")).isEqualTo("1"));
    JsonArray endpoints = Client.endpoints(harp.adminPort, "api").getJsonArray("endpoints");
    assertThat(endpoints.getJsonObject(0).getString("pool")).isEqualTo("primary");
    assertThat(endpoints.getJsonObject(1).getString("pool")).isEqualTo("canary");
  }

  @Test
  void aRetryStaysWithinTheChosenPool() {
    TestUpstream primary = named("primary");
    TestUpstream failing = harp.upstream().handler(req -> req.response().setStatusCode(503).end("busy"));
    TestUpstream good = named("good");
    harp.start("""
        upstream:
          endpoints: [%s]
          pools: [{name: canary, endpoints: [%s, %s]}]
        retry: {maxAttempts: 2, retryOn: [503], backoff: {base: 1ms, max: 5ms}}
        """.formatted(primary.url(), failing.url(), good.url()) + CANARY_RULE);
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> r = Client.get(harp.proxyPort, "/r", "X-Canary", "1");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("good");
    }
    assertThat(failing.seen()).as("round-robin in the pool sends some first attempts there").isNotEmpty();
    assertThat(good.seen()).hasSize(4);
    assertThat(primary.seen()).as("a retry never leaves the chosen pool").isEmpty();
  }

  @Test
  void aPoolWithNoAvailableEndpointIs503NamingThePoolAndNeverFallsBackToThePrimary() {
    TestUpstream primary = named("primary");
    TestUpstream canary = named("canary");
    harp.start("""
        upstream:
          endpoints: [%s]
          pools: [{name: canary, endpoints: [%s]}]
        outlier: {}
        """.formatted(primary.url(), canary.url()) + CANARY_RULE);
    assertThat(Client.maintenance(harp.adminPort, "api", 1, "down").statusCode()).isEqualTo(200);
    Await.until("canary endpoint down", Duration.ofSeconds(5),
        () -> !Client.endpoint(harp.adminPort, "api", 1).getBoolean("available"));

    HttpResponse<String> none = Client.get(harp.proxyPort, "/x", "X-Canary", "1");
    assertThat(none.statusCode()).isEqualTo(503);
    JsonObject problem = new JsonObject(none.body());
    assertThat(problem.getString("type")).endsWith("/no-upstream-available");
    assertThat(problem.getString("detail"))
        .startsWith("no endpoint of upstream pool 'canary' can take the request:")
        .contains(canary.url() + " (maintenance)")
        .doesNotContain(primary.url());
    assertThat(primary.seen()).isEmpty();
    assertThat(canary.seen()).isEmpty();

    assertThat(Client.get(harp.proxyPort, "/x").body()).as("other requests still reach the primary")
        .isEqualTo("primary");
    Client.maintenance(harp.adminPort, "api", 1, null);
    Await.until("canary endpoint back", Duration.ofSeconds(5),
        () -> Client.endpoint(harp.adminPort, "api", 1).getBoolean("available"));
    assertThat(Client.get(harp.proxyPort, "/x", "X-Canary", "1").body()).isEqualTo("canary");
  }

  @Test
  void aDownPrimaryPoolSendsNoPrimaryTrafficToANamedPool() {
    TestUpstream primary = named("primary");
    TestUpstream canary = named("canary");
    harp.start("""
        upstream:
          endpoints: [%s]
          pools: [{name: canary, endpoints: [%s]}]
        outlier: {}
        """.formatted(primary.url(), canary.url()) + CANARY_RULE);
    Client.maintenance(harp.adminPort, "api", 0, "down");
    Await.until("primary down", Duration.ofSeconds(5),
        () -> !Client.endpoint(harp.adminPort, "api", 0).getBoolean("available"));
    HttpResponse<String> none = Client.get(harp.proxyPort, "/y");
    assertThat(none.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(none.body()).getString("detail")).contains(primary.url() + " (maintenance)")
        .doesNotContain(canary.url());
    assertThat(canary.seen()).isEmpty();
  }
}
