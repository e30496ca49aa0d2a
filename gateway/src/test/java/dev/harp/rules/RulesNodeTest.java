package dev.harp.rules;

import dev.harp.config.ConfigLoader;
import dev.harp.node.HarpNode;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rules on a real node in front of a real loopback upstream; counters as /metrics shows them. */
class RulesNodeTest {

  private static final String RULES = """
      rules:
        - name: no-admin
          when: request.canonicalPath.startsWith('/admin')
          deny: {status: 403, detail: admins only}
        - name: tenant
          when: "'x-tenant' in request.headers && request.query['v'] == '2'"
          setRequestHeaders: {X-Api-Version: "2"}
          removeRequestHeaders: [Cookie]
          setResponseHeaders: {X-Rule: tenant}
        - name: would-block-post
          mode: shadow
          when: request.method == 'POST'
          deny: {status: 405}
        - name: broken
          when: request.headers['x-missing'] == 'x'
          setResponseHeaders: {X-Never: "1"}
      """;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private TestUpstream upstream;
  private HarpNode node;
  private int adminPort;
  private int proxyPort;

  @AfterEach
  void stop() {
    if (node != null) {
      Await.result(node.stop(), Duration.ofSeconds(30));
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  private String config(String rules) {
    return """
        node: {name: rules-node, drainTimeout: 2s, eventLoops: 2}
        admin: {bind: 127.0.0.1, port: %d, users: [%s]}
        proxies:
          - name: api
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: ['%s']}
        %s""".formatted(adminPort, TestAdmin.USER_YAML, proxyPort, upstream.url(), rules.indent(4));
  }

  private void start() {
    upstream = TestUpstream.start();
    adminPort = Ports.free();
    proxyPort = Ports.free();
    node = HarpTestCluster.single(config(RULES));
  }

  private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort + path));
  }

  private String scrape() throws Exception {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
        .header("Authorization", TestAdmin.basic())).body();
  }

  @Test
  void aDenyRuleAnswersProblemJsonAndTheUpstreamNeverSeesTheRequest() throws Exception {
    start();
    HttpResponse<String> r = send(request("/%61dmin/users"));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/problem+json");
    assertThat(r.body()).contains("rule-denied").contains("admins only");
    assertThat(upstream.seen()).isEmpty();

    assertThat(send(request("/public")).statusCode()).isEqualTo(200);
    assertThat(upstream.seen()).hasSize(1);
    assertThat(scrape()).contains("harp_filter_rule_matches_total{mode=\"enforce\",proxy=\"api\",rule=\"no-admin\"} 1.0");
  }

  @Test
  void headerRulesEditTheUpstreamRequestAndTheClientResponse() throws Exception {
    start();
    HttpResponse<String> r = send(request("/items?v=2").header("X-Tenant", "t1").header("Cookie", "s=1"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-rule")).hasValue("tenant");
    assertThat(r.headers().firstValue("x-never")).isEmpty();
    TestUpstream.Seen seen = upstream.seen().get(0);
    assertThat(seen.headers().get("X-Api-Version")).isEqualTo("2");
    assertThat(seen.headers().get("Cookie")).isNull();
    assertThat(seen.headers().get("X-Tenant")).isEqualTo("t1");

    HttpResponse<String> other = send(request("/items?v=1").header("X-Tenant", "t1"));
    assertThat(other.headers().firstValue("x-rule")).isEmpty();
    assertThat(upstream.seen().get(1).headers().get("X-Api-Version")).isNull();
    assertThat(scrape())
        .contains("harp_filter_rule_matches_total{mode=\"enforce\",proxy=\"api\",rule=\"tenant\"} 1.0")
        .contains("harp_filter_rule_errors_total{mode=\"enforce\",proxy=\"api\",rule=\"broken\"} 2.0");
  }

  @Test
  void aShadowRuleCountsMatchesWithoutActing() throws Exception {
    start();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = send(request("/orders").POST(HttpRequest.BodyPublishers.ofString("{}")));
      assertThat(r.statusCode()).isEqualTo(200);
    }
    send(request("/orders"));
    assertThat(upstream.seen()).hasSize(4);
    assertThat(scrape())
        .contains("harp_filter_rule_matches_total{mode=\"shadow\",proxy=\"api\",rule=\"would-block-post\"} 3.0");
  }

  @Test
  void aBadExpressionIsRefusedAtValidationWithItsPosition() {
    upstream = TestUpstream.start();
    adminPort = Ports.free();
    proxyPort = Ports.free();
    String bad = """
        rules:
          - name: ok
            when: "true"
            setResponseHeaders: {X-A: b}
          - name: typo
            when: request.method == 'GET' && reqest.path == '/'
            deny: {}
        """;
    assertThatThrownBy(() -> ConfigLoader.parse(config(bad), "test", Map.of(), null))
        .hasMessageContaining("proxies[0].rules[1].when: 1:28: undeclared reference to 'reqest'");
  }
}
