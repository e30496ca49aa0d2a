package dev.harp.config;

import dev.harp.config.ProxyConfig.Balancing;
import dev.harp.config.ProxyConfig.Pool;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code upstream.pools}: named pools beside the primary endpoints and the fallback. */
class UpstreamPoolsConfigTest {

  private static String proxy(String upstream) {
    return """
        proxies:
          - name: api
            port: 4000
            upstream:
        %s""".formatted(upstream.stripIndent().indent(6));
  }

  private static List<String> problems(String upstream) {
    InvalidConfigException e = catchThrowableOfType(
        () -> ConfigLoader.parse(proxy(upstream), "test.yaml", Map.of(), null), InvalidConfigException.class);
    assertThat(e).as("config was accepted").isNotNull();
    return e.problems();
  }

  @Test
  void poolsHaveTheirEndpointsAndTheUpstreamsBalancingUnlessTheyNameTheirOwn() {
    ProxyConfig p = ConfigLoader.parse(proxy("""
        endpoints: [http://127.0.0.1:9000]
        fallback: [http://127.0.0.1:9009]
        lb: least-requests
        pools:
          - name: canary
            endpoints: [http://127.0.0.1:9100, {url: http://127.0.0.1:9101, weight: 3}]
          - name: hashed
            endpoints: [http://127.0.0.1:9200, http://127.0.0.1:9201]
            lb: consistent-hash
            hashOn: header:X-User
        """), "test.yaml", Map.of(), null).proxy("api");
    List<Pool> pools = p.upstream().pools();
    assertThat(pools).extracting(Pool::name).containsExactly("canary", "hashed");
    assertThat(pools.get(0).balancing()).isEqualTo(Balancing.LEAST_REQUESTS);
    assertThat(pools.get(0).hashOn()).isNull();
    assertThat(pools.get(0).endpoints()).extracting(ProxyConfig.Endpoint::url, ProxyConfig.Endpoint::weight)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("http://127.0.0.1:9100", 1),
            org.assertj.core.groups.Tuple.tuple("http://127.0.0.1:9101", 3));
    assertThat(pools.get(1).balancing()).isEqualTo(Balancing.CONSISTENT_HASH);
    assertThat(pools.get(1).hashOn()).hasToString("header:x-user");
    assertThat(p.upstream().poolNames()).containsExactly("canary", "hashed");
  }

  @Test
  void aProxyWithoutPoolsHasNone() {
    ProxyConfig p = ConfigLoader.parse(proxy("endpoints: [http://127.0.0.1:9000]"), "test.yaml", Map.of(), null)
        .proxy("api");
    assertThat(p.upstream().pools()).isEmpty();
  }

  @Test
  void aHashingPoolTakesTheUpstreamsHashKey() {
    ProxyConfig p = ConfigLoader.parse(proxy("""
        endpoints: [http://127.0.0.1:9000, http://127.0.0.1:9001]
        lb: consistent-hash
        hashOn: path
        pools: [{name: b, endpoints: [http://127.0.0.1:9100, http://127.0.0.1:9101]}]
        """), "test.yaml", Map.of(), null).proxy("api");
    assertThat(p.upstream().pools().get(0).balancing()).isEqualTo(Balancing.CONSISTENT_HASH);
    assertThat(p.upstream().pools().get(0).hashOn()).hasToString("path");
  }

  @Test
  void namesAreRequiredTokensUniqueAndNotReserved() {
    assertThat(problems("""
        endpoints: [http://127.0.0.1:9000]
        pools:
          - {name: canary, endpoints: [http://127.0.0.1:9100]}
          - {name: canary, endpoints: [http://127.0.0.1:9101]}
          - {name: "two words", endpoints: [http://127.0.0.1:9102]}
          - {name: "", endpoints: [http://127.0.0.1:9103]}
          - {endpoints: [http://127.0.0.1:9104]}
          - {name: primary, endpoints: [http://127.0.0.1:9105]}
          - {name: fallback, endpoints: [http://127.0.0.1:9106]}
        """)).containsExactlyInAnyOrder(
        "proxies[0].upstream.pools[1].name: 'canary' is already the name of proxies[0].upstream.pools[0]",
        "proxies[0].upstream.pools[2].name: 'two words' must be 1-63 letters, digits, '-' or '_', starting with a "
            + "letter or digit",
        "proxies[0].upstream.pools[3].name: must not be empty",
        "proxies[0].upstream.pools[4].name: is required",
        "proxies[0].upstream.pools[5].name: 'primary' is reserved (the admin API's label for the upstream's own "
            + "endpoints)",
        "proxies[0].upstream.pools[6].name: 'fallback' is reserved (the admin API's label for the upstream's own "
            + "endpoints)");
  }

  @Test
  void endpointsAreRequiredValidAndInOnePoolOnly() {
    assertThat(problems("""
        endpoints: [http://127.0.0.1:9000]
        fallback: [http://127.0.0.1:9009]
        pools:
          - {name: empty, endpoints: []}
          - {name: none}
          - {name: bad, endpoints: [ftp://x, {url: http://127.0.0.1:9100, weight: 0}]}
          - {name: again, endpoints: [http://127.0.0.1:9000, http://127.0.0.1:9009]}
          - {name: shared-a, endpoints: [http://127.0.0.1:9200]}
          - {name: shared-b, endpoints: [http://127.0.0.1:9200]}
          - {name: typo, endpoint: [http://127.0.0.1:9300]}
        """)).containsExactlyInAnyOrder(
        "proxies[0].upstream.pools[0].endpoints: must list at least one endpoint URL",
        "proxies[0].upstream.pools[1].endpoints: must list at least one endpoint URL",
        "proxies[0].upstream.pools[2].endpoints[0]: 'ftp://x' must start with http:// or https://",
        "proxies[0].upstream.pools[2].endpoints[1].weight: must be between 1 and 100, got 0",
        "proxies[0].upstream.pools[3].endpoints: 'http://127.0.0.1:9000' is already an endpoint of this upstream "
            + "(primary, fallback or another pool)",
        "proxies[0].upstream.pools[3].endpoints: 'http://127.0.0.1:9009' is already an endpoint of this upstream "
            + "(primary, fallback or another pool)",
        "proxies[0].upstream.pools[5].endpoints: 'http://127.0.0.1:9200' is already an endpoint of this upstream "
            + "(primary, fallback or another pool)",
        "proxies[0].upstream.pools[6].endpoint: unknown key (allowed here: endpoints, hashOn, lb, name)",
        "proxies[0].upstream.pools[6].endpoints: must list at least one endpoint URL");
  }

  @Test
  void balancingIsCheckedPerPool() {
    assertThat(problems("""
        endpoints: [http://127.0.0.1:9000]
        pools:
          - {name: a, endpoints: [http://127.0.0.1:9100], lb: random}
          - {name: b, endpoints: [http://127.0.0.1:9101], lb: consistent-hash}
          - {name: c, endpoints: [http://127.0.0.1:9102], hashOn: path}
          - {name: d, endpoints: [http://127.0.0.1:9103], lb: consistent-hash, hashOn: "cookie:"}
        """)).containsExactlyInAnyOrder(
        "proxies[0].upstream.pools[0].lb: 'random' is not a balancing strategy (round-robin, least-requests, "
            + "consistent-hash)",
        "proxies[0].upstream.pools[1].hashOn: is required when the pool's lb is consistent-hash and the upstream "
            + "has no hashOn",
        "proxies[0].upstream.pools[2].hashOn: applies only with lb: consistent-hash",
        "proxies[0].upstream.pools[3].hashOn: 'cookie:' is not a hash key (header:NAME, cookie:NAME, query:NAME, "
            + "path or client-ip)");
  }

  @Test
  void poolsMustBeAListOfMappings() {
    assertThat(problems("""
        endpoints: [http://127.0.0.1:9000]
        pools: {name: a, endpoints: [http://127.0.0.1:9100]}
        """)).containsExactly("proxies[0].upstream.pools: must be a list, got a mapping");
    assertThat(problems("""
        endpoints: [http://127.0.0.1:9000]
        pools: [canary]
        """)).containsExactly("proxies[0].upstream.pools[0]: must be a mapping, got 'canary'");
  }

  @Test
  void aRuleMayRouteOnlyToADeclaredPool() {
    assertThat(catchThrowableOfType(() -> ConfigLoader.parse(proxy("""
        endpoints: [http://127.0.0.1:9000]
        pools: [{name: a, endpoints: [http://127.0.0.1:9100]}, {name: b, endpoints: [http://127.0.0.1:9101]}]
        """) + """
            rules:
              - {name: ok, when: "true", pool: b}
              - {name: typo, when: "true", pool: x}
        """, "test.yaml", Map.of(), null), InvalidConfigException.class).problems())
        .containsExactly("proxies[0].rules[1].pool: no pool 'x' in upstream.pools (declared: a, b)");
  }
}
