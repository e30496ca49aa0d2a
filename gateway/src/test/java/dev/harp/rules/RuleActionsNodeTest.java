package dev.harp.rules;

import dev.harp.config.ConfigLoader;
import dev.harp.config.InvalidConfigException;
import dev.harp.node.HarpNode;
import dev.harp.secrets.KeyHash;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.Ports;
import dev.harp.testkit.TestAdmin;
import dev.harp.testkit.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The rule actions that steer other features (pool, rateLimitKey) and the identity variable, on a real node. */
class RuleActionsNodeTest {

  private static final String BILLING_KEY = KeyHash.newSecret("harp_");
  private static final String REPORTS_KEY = KeyHash.newSecret("harp_");

  private TestUpstream upstream;
  private TestUpstream canary;
  private HarpNode node;
  private int proxyPort;

  @AfterEach
  void stop() {
    if (node != null) {
      Await.result(node.stop(), Duration.ofSeconds(30));
    }
    if (upstream != null) {
      upstream.close();
    }
    if (canary != null) {
      canary.close();
    }
  }

  /** {@code topLevel} goes beside {@code proxies:}; {@code proxyExtra} under the proxy. */
  private String config(String topLevel, String proxyExtra) {
    return """
        node: {name: rule-actions, drainTimeout: 2s, eventLoops: 2}
        admin: {bind: 127.0.0.1, port: %d, users: [%s]}
        %s
        proxies:
          - name: api
            bind: 127.0.0.1
            port: %d
            upstream:
              endpoints: ['%s']
              pools: [{name: canary, endpoints: ['%s']}]
        %s""".formatted(Ports.free(), TestAdmin.USER_YAML, topLevel, proxyPort, upstream.url(), canary.url(),
        proxyExtra.indent(4));
  }

  private void start(String topLevel, String proxyExtra) {
    upstream = TestUpstream.start().handler(req -> req.response().end("primary"));
    canary = TestUpstream.start().handler(req -> req.response().end("canary"));
    proxyPort = Ports.free();
    node = HarpTestCluster.single(config(topLevel, proxyExtra));
  }

  /** Each client its own HTTP client, so its own connections: the rate limiter keys by what the rule says. */
  private HttpResponse<String> send(String path, String... headers) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + path))
        .timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void clientsWithTheSameRuleKeyShareABudgetAndOtherKeysDoNot() throws Exception {
    start("", """
        rules:
          - name: tenant
            when: "'x-tenant' in request.headers"
            rateLimitKey: "'tenant:' + request.headers['x-tenant']"
        rateLimit: {by: rule, limits: [{requests: 1, per: 1h}]}
        """);
    assertThat(send("/a", "X-Tenant", "t1", "X-Client", "one").statusCode()).isEqualTo(200);
    assertThat(send("/a", "X-Tenant", "t1", "X-Client", "two").statusCode()).as("t1's budget is spent")
        .isEqualTo(429);
    assertThat(send("/a", "X-Tenant", "t2", "X-Client", "two").statusCode()).as("another key, another budget")
        .isEqualTo(200);
    assertThat(send("/a").statusCode()).as("no rule keyed it: keyed by client address").isEqualTo(200);
    assertThat(send("/a").statusCode()).as("the same address again").isEqualTo(429);
    assertThat(upstream.seen()).hasSize(3);
  }

  @Test
  void identityIsTheApiKeysConsumerAndAPoolRuleRoutesOnIt() throws Exception {
    start("""
        consumers:
          - {name: billing-app, keys: [{id: k, sha256: %s}]}
          - {name: reports-app, keys: [{id: k, sha256: %s}]}
        """.formatted(KeyHash.sha256Hex(BILLING_KEY), KeyHash.sha256Hex(REPORTS_KEY)), """
        auth: {apiKeys: {header: X-Api-Key}}
        rules:
          - name: billing-to-canary
            when: identity == 'billing-app'
            pool: canary
            setResponseHeaders: {X-Identity: billing}
        """);
    HttpResponse<String> billing = send("/i", "X-Api-Key", BILLING_KEY);
    assertThat(billing.statusCode()).isEqualTo(200);
    assertThat(billing.body()).isEqualTo("canary");
    assertThat(billing.headers().firstValue("x-identity")).hasValue("billing");

    HttpResponse<String> reports = send("/i", "X-Api-Key", REPORTS_KEY);
    assertThat(reports.body()).isEqualTo("primary");
    assertThat(reports.headers().firstValue("x-identity")).isEmpty();
  }

  @Test
  void actionMistakesAreRefusedAtValidationWithTheirKeyPaths() {
    upstream = TestUpstream.start();
    canary = TestUpstream.start();
    proxyPort = Ports.free();
    String bad = config("", """
        rules:
          - name: ok
            when: "true"
            pool: canary
          - name: unknown-pool
            when: "true"
            pool: canry
          - name: not-a-string
            when: "true"
            rateLimitKey: size(request.path)
          - name: routed-deny
            when: "true"
            pool: canary
            deny: {status: 403}
          - name: typo
            when: "true"
            rateLimitKey: reqest.path
        """);
    InvalidConfigException e = catchThrowableOfType(() -> ConfigLoader.parse(bad, "test", Map.of(), null),
        InvalidConfigException.class);
    assertThat(e).isNotNull();
    assertThat(e.problems()).containsExactlyInAnyOrder(
        "proxies[0].rules[1].pool: no pool 'canry' in upstream.pools (declared: canary)",
        "proxies[0].rules[2].rateLimitKey: must be a string, but gives int",
        "proxies[0].rules[3].deny: cannot be combined with pool in one rule (a denied request goes nowhere: write "
            + "two rules)",
        "proxies[0].rules[4].rateLimitKey: 1:1: undeclared reference to 'reqest' (in container '')");
  }
}
