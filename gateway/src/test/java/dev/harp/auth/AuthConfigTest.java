package dev.harp.auth;

import dev.harp.config.ConfigLoader;
import dev.harp.config.HarpConfig;
import dev.harp.config.InvalidConfigException;
import dev.harp.secrets.KeyHash;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code auth:} block and top-level {@code consumers}: defaults, every mistake reported, secrets never echoed. */
class AuthConfigTest {

  private static HarpConfig parse(String auth, String topLevel) {
    return ConfigLoader.parse(topLevel + """
        proxies:
          - name: api
            port: 4000
            upstream: {endpoints: [http://127.0.0.1:9000]}
            auth:
        """ + auth.indent(6), "test.yaml", Map.of("SECRET", "s3cr3t-value"), null);
  }

  private static List<String> problems(String auth, String topLevel) {
    try {
      parse(auth, topLevel);
    } catch (InvalidConfigException e) {
      assertThat(e.getMessage()).doesNotContain("s3cr3t-value");
      return e.problems();
    }
    throw new AssertionError("accepted:\n" + auth);
  }

  @Test
  void defaults() {
    AuthConfig c = AuthConfig.of(parse("""
        forward: {url: 'http://127.0.0.1:8080/check?x=1', identityHeaders: [X-User]}
        """, "").proxy("api")).orElseThrow();
    AuthConfig.Forward f = c.forward().orElseThrow();
    assertThat(f.headers()).containsExactly("Authorization");
    assertThat(f.cookies()).isEmpty();
    assertThat(f.userHeader()).isEqualTo("X-User");
    assertThat(f.url().path()).isEqualTo("/check?x=1");
    assertThat(f.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(f.cacheTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(f.negativeTtl()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.access()).isEqualTo(Access.USER);
    assertThat(AuthConfig.of(parse("inject: [{bearer: x}]", "").proxy("api")).orElseThrow().access())
        .as("injection only: nothing to check callers with").isEqualTo(Access.PUBLIC);
  }

  @Test
  void everyMistakeIsReportedWithItsPath() {
    List<String> p = problems("""
        forward:
          url: 'http://user:pw@127.0.0.1/check'
          identityHeaders: ['X User']
          timeout: 0s
          groupsHeader: X-Groups
        rules:
          - {path: admin, access: admin}
          - {path: '/a/*b', access: user}
          - {path: /x}
        inject:
          - {bearer: x, basic: {user: a, password: b}}
          - {header: {name: X-Key}}
          - {basic: {user: 'a:b', password: x}}
        """, "");
    assertThat(p).anyMatch(s -> s.startsWith("proxies[0].auth.forward.url: the auth endpoint URL must not carry"))
        .anyMatch(s -> s.startsWith("proxies[0].auth.forward.identityHeaders: 'X User' (item 0)"))
        .anyMatch(s -> s.startsWith("proxies[0].auth.forward.timeout: must be more than 0s"))
        .anyMatch(s -> s.startsWith("proxies[0].auth.rules[0].path: a path pattern starts with '/'"))
        .anyMatch(s -> s.startsWith("proxies[0].auth.rules[1].path: '/a/*b': segments are literal"))
        .anyMatch(s -> s.startsWith("proxies[0].auth.rules[2].access: is required"))
        .anyMatch(s -> s.startsWith("proxies[0].auth.inject[0]: give exactly one of"))
        .anyMatch(s -> s.startsWith("proxies[0].auth.inject[1].header.value: is required"))
        .anyMatch(s -> s.startsWith("proxies[0].auth.inject[2].basic.user: must not contain ':'"));
    assertThat(problems("access: admin\napiKeys: {}", ""))
        .anyMatch(s -> s.startsWith("proxies[0].auth.adminGroups: access 'admin' needs the groups"));
    assertThat(problems("access: user\ninject: [{bearer: '${env:SECRET}'}]", ""))
        .anyMatch(s -> s.contains("access 'user' or 'admin' needs auth.forward or auth.apiKeys"));
    assertThat(problems("inject: [{header: {name: X-Key, value: \"${env:SECRET}\\nX-Evil: 1\"}}]", ""))
        .anyMatch(s -> s.equals("proxies[0].auth.inject[0].header.value: must be one line"));
  }

  @Test
  void consumersAreValidatedAndTheirHashesRedacted() {
    String hash = KeyHash.sha256Hex("k");
    List<String> p = problems("apiKeys: {}", """
        consumers:
          - name: a
            keys: [{id: k1, sha256: %s}, {id: k1, sha256: %s}]
          - name: a
          - name: b
            keys: [{id: x, sha256: %s}, {id: y, sha256: nothex}]
        """.formatted(hash, KeyHash.sha256Hex("other"), hash));
    assertThat(p).anyMatch(s -> s.equals("consumers[0].keys[1].id: 'k1' is used twice"))
        .anyMatch(s -> s.equals("consumers[1].name: 'a' is used twice"))
        .anyMatch(s -> s.equals("consumers[2].keys[0].sha256: the same key is given twice"))
        .anyMatch(s -> s.startsWith("consumers[2].keys[1].sha256: must be the 64 hex digits"));
    HarpConfig ok = parse("apiKeys: {}\ninject: [{bearer: '${env:SECRET}'}]", """
        consumers:
          - {name: a, groups: [Ops], keys: [{id: k1, sha256: %s}]}
        """.formatted(hash));
    assertThat(ok.toString()).doesNotContain(hash).doesNotContain("s3cr3t-value");
  }
}
