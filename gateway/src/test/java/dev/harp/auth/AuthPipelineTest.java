package dev.harp.auth;

import dev.harp.config.ConfigLoader;
import dev.harp.config.HarpConfig;
import dev.harp.config.InvalidConfigException;
import dev.harp.engine.PipelineOrder;
import dev.harp.engine.Pipelines;
import dev.harp.secrets.KeyHash;
import dev.harp.testkit.TestUpstream;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Auth as a filter among the others: where it sits, and what the filters after it read. */
class AuthPipelineTest extends AuthTestBase {

  private static final String APP_KEY = KeyHash.newSecret("harp_");

  @Test
  void authSitsAfterBanAndCaptureAndBeforeRulesLimitsAndTheCache() {
    HarpConfig config = ConfigLoader.parse("""
        proxies:
          - name: all
            port: 4000
            upstream: {endpoints: [http://127.0.0.1:9000]}
            cache: {}
            rateLimit: {limits: [{requests: 2, per: 1h}]}
            rules:
              - {name: r, when: "true", setRequestHeaders: {X-A: b}}
            auth: {apiKeys: {}}
            capture: {bodyPreview: 1KiB}
          - name: alone
            port: 4001
            upstream: {endpoints: [http://127.0.0.1:9000]}
            auth: {inject: [{bearer: x}]}
          - name: none
            port: 4002
            upstream: {endpoints: [http://127.0.0.1:9000]}
        """, "test.yaml", Map.of(), null);
    assertThat(order(config, "all")).containsExactly("ban", "capture", "auth", "rules", "rate-limit", "cache");
    assertThat(order(config, "alone")).containsExactly("ban", "auth");
    assertThat(order(config, "none")).as("no auth: block, no auth filter").containsExactly("ban");
  }

  /** A filter placed only against auth still has its place on a proxy without auth: through auth's placement. */
  @Test
  void placementsCarryThroughAuthWhereAProxyHasNone() {
    HarpConfig config = ConfigLoader.parse("""
        proxies:
          - name: api
            port: 4000
            upstream: {endpoints: [http://127.0.0.1:9000]}
            capture: {bodyPreview: 1KiB}
            rules:
              - {name: r, when: "true", setRequestHeaders: {X-A: b}}
        """, "test.yaml", Map.of(), null);
    assertThat(order(config, "api")).as("rules: after ban and auth; capture: before auth")
        .containsExactly("ban", "capture", "rules");
  }

  @Test
  void aBlockThatIsNotAMappingIsAProblemAtItsPath() {
    assertThatThrownBy(() -> ConfigLoader.parse("""
        proxies:
          - name: api
            port: 4000
            upstream: {endpoints: [http://127.0.0.1:9000]}
            auth: [apiKeys]
        """, "test.yaml", Map.of(), null))
        .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
            .anyMatch(p -> p.startsWith("proxies[0].auth: must be a mapping")));
  }

  /** Rules after auth read the identity the auth endpoint gave, never the one a client wrote itself. */
  @Test
  void rulesAfterAuthSeeTheSessionsIdentityNotASpoofedOne() {
    upstream = upstream();
    login = loginService();
    start("""
        forward:
          url: %s/session/check
          cookies: [sid]
          identityHeaders: [X-User, X-Groups]
          groupsHeader: X-Groups
        """.formatted(login.url()), "", """
        rules:
          - name: root-only
            when: "!('x-user' in request.headers) || request.headers['x-user'] != 'root'"
            deny: {status: 403, detail: root only}
        """);

    assertThat(get("/a", "Cookie", "sid=" + ALICE, "X-User", "root").statusCode())
        .as("alice claiming to be root").isEqualTo(403);
    assertThat(get("/b", "Cookie", "sid=" + ROOT, "X-User", "alice").statusCode()).isEqualTo(200);
    List<TestUpstream.Seen> seen = upstream.seen();
    assertThat(seen).extracting(TestUpstream.Seen::uri).containsExactly("/b");
    assertThat(seen.get(0).headers().getAll("X-User")).containsExactly("root");
  }

  /** The key auth took is gone for the filters after it; the consumer header they see is HARP's. */
  @Test
  void rulesAfterAuthSeeHarpsConsumerHeaderAndNoKey() {
    upstream = upstream();
    start("""
        apiKeys: {header: X-Api-Key}
        """, """
        consumers:
          - {name: app, keys: [{id: k, sha256: %s}]}
        """.formatted(KeyHash.sha256Hex(APP_KEY)), """
        rules:
          - name: key-visible
            when: "'x-api-key' in request.headers"
            deny: {status: 400, detail: the key leaked past auth}
          - name: consumer
            when: "request.headers['x-consumer'] == 'app' && identity == 'app'"
            setRequestHeaders: {X-Seen-By-Rules: app}
        """);

    assertThat(get("/a", "X-Api-Key", APP_KEY, "X-Consumer", "someone-else").statusCode()).isEqualTo(200);
    TestUpstream.Seen seen = upstream.seen().get(0);
    assertThat(seen.headers().get("X-Seen-By-Rules")).isEqualTo("app");
    assertThat(seen.headers().getAll("X-Consumer")).containsExactly("app");
    assertThat(seen.headers().get("X-Api-Key")).isNull();
  }

  private static List<String> order(HarpConfig config, String proxy) {
    var p = config.proxy(proxy);
    return ((PipelineOrder.Ordered) Pipelines.order(p, Pipelines.fromConfig(p))).names();
  }
}
