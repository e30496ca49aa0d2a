package dev.harp.ratelimit;

import dev.harp.config.ConfigLoader;
import dev.harp.config.HarpConfig;
import dev.harp.config.InvalidConfigException;
import dev.harp.net.ClientAddressSettings;
import dev.harp.engine.FilterBlock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The rateLimit and clientAddress blocks: the documented shape, defaults, and every mistake named by key path. */
class RateLimitConfigTest {

  private static final String PROXY = """
      proxies:
        - name: api
          port: 4000
          upstream: {endpoints: ['http://127.0.0.1:9000']}
      """;

  private static HarpConfig parse(String block) {
    return ConfigLoader.parse(PROXY + block.indent(4), "test.yaml", Map.of(), null);
  }

  private static List<String> problems(String block) {
    try {
      parse(block);
    } catch (InvalidConfigException e) {
      return e.problems();
    }
    throw new AssertionError("config was accepted:\n" + block);
  }

  @Test
  void readsTheIssueShapeWithDefaults() {
    RateLimitSettings s = parse("""
        rateLimit:
          mode: cluster
          by: client
          limits: [{requests: 100, per: 1s, burst: 10}, {requests: 5000, per: 1h}]
          onClusterFailure: local
        """).proxy("api").<FilterBlock>feature("rateLimit").map(b -> (RateLimitSettings) b.config())
        .orElseThrow();
    assertThat(s.maxKeys()).isEqualTo(1_000_000);
    assertThat(s.policies()).hasSize(1);
    Policy p = s.policies().get(0);
    assertThat(p.id()).isEqualTo("proxy");
    assertThat(p.route()).isNull();
    assertThat(p.mode()).isEqualTo(Mode.CLUSTER);
    assertThat(p.by()).containsExactly(new KeyPart.Client());
    assertThat(p.onClusterFailure()).isEqualTo(OnClusterFailure.LOCAL);
    assertThat(p.clusterTimeout()).isEqualTo(Duration.ofMillis(5));
    assertThat(p.syncInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(p.limits()).containsExactly(
        new Limit("100-per-1s", 100, Duration.ofSeconds(1), 10),
        new Limit("5000-per-1h", 5000, Duration.ofHours(1), 5000));
    assertThat(p.limits().get(0).emissionNanos()).isEqualTo(10_000_000);
    assertThat(p.limits().get(0).toleranceNanos()).isEqualTo(90_000_000);
    assertThat(RateLimitHeaders.policy(p.limits())).isEqualTo("\"100-per-1s\";q=100;w=1, \"5000-per-1h\";q=5000;w=3600");
  }

  @Test
  void routesKeysAndModesCombine() {
    HarpConfig c = parse("""
        clientAddress: {trustedProxies: [10.0.0.0/8, '::1'], header: X-Real-IP}
        rateLimit:
          mode: local
          by: [consumer, 'header:X-Api-Key']
          syncInterval: 50ms
          clusterTimeout: 20ms
          maxKeys: 5000
          limits: [{name: per-second, requests: 20, per: 1s}]
          routes:
            - path: /login
              methods: [post]
              mode: cluster
              onClusterFailure: deny
              by: client
              limits: [{requests: 5, per: 1m, burst: 2}]
            - {name: search, path: /search/, by: path, limits: [{requests: 10, per: 500ms}]}
        """);
    RateLimitSettings s = c.proxy("api").<FilterBlock>feature("rateLimit")
        .map(b -> (RateLimitSettings) b.config()).orElseThrow();
    assertThat(s.policies()).extracting(Policy::id).containsExactly("route:/login POST", "route:search", "proxy");
    Policy login = s.policies().get(0);
    assertThat(login.mode()).isEqualTo(Mode.CLUSTER);
    assertThat(login.onClusterFailure()).isEqualTo(OnClusterFailure.DENY);
    assertThat(login.by()).containsExactly(new KeyPart.Client());
    assertThat(login.route()).isEqualTo(new RouteMatch("/login", Set.of("POST")));
    assertThat(login.limits().get(0).name()).isEqualTo("/login POST:5-per-1m");
    assertThat(login.route().matches("POST", "/login/x")).isTrue();
    assertThat(login.route().matches("POST", "/loginx")).isFalse();
    assertThat(login.route().matches("GET", "/login")).isFalse();
    Policy search = s.policies().get(1);
    assertThat(search.mode()).as("inherited").isEqualTo(Mode.LOCAL);
    assertThat(RateLimitHeaders.policy(search.limits())).isEqualTo("\"search:10-per-500ms\";q=20;w=1");
    Policy proxy = s.policies().get(2);
    assertThat(proxy.by()).containsExactly(new KeyPart.Consumer(), new KeyPart.Header("X-Api-Key"));
    assertThat(proxy.syncInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(proxy.clusterTimeout()).isEqualTo(Duration.ofMillis(20));
    assertThat(s.maxKeys()).isEqualTo(5000);
    ClientAddressSettings clients = c.proxy("api").<ClientAddressSettings>feature("clientAddress").orElseThrow();
    assertThat(clients.header()).isEqualTo("X-Real-IP");
    assertThat(clients.trustedProxies().contains("10.1.2.3")).isTrue();
    assertThat(clients.trustedProxies().contains("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(clients.trustedProxies().contains("11.0.0.1")).isFalse();
  }

  @Test
  void everyMistakeIsReportedWithItsKeyPath() {
    List<String> problems = problems("""
        clientAddress: {trustedProxies: [10.0.0.0/8, 10.0.0.0/33, example.com], header: 'X Bad'}
        rateLimit:
          mode: clustered
          by: [client, 'header:', ip, client]
          onClusterFailure: maybe
          clusterTimeout: 0s
          syncInterval: 5ms
          maxKeys: 10
          colour: blue
          limits:
            - {requests: 0, per: 1s}
            - {per: 0s, burst: 0}
            - {requests: 10, per: 1s, name: 'has space'}
            - {requests: 10, per: 1s}
            - {requests: 10, per: 1s}
            - {requests: 10, per: soon, brust: 3}
          routes:
            - {path: login, methods: [GET, 'b@d'], limits: [{requests: 1, per: 1s}]}
            - {path: /x}
        """);
    assertThat(problems).contains(
        "proxies[0].clientAddress.trustedProxies[1]: '10.0.0.0/33' has an invalid prefix length (0-32)",
        "proxies[0].clientAddress.trustedProxies[2]: 'example.com' is not an IP address or CIDR block (e.g. 10.0.0.0/8)",
        "proxies[0].clientAddress.header: 'X Bad' is not a header name",
        "proxies[0].rateLimit.mode: 'clustered' is not one of cluster, local",
        "proxies[0].rateLimit.by[1]: 'header:' needs a header name after 'header:'",
        "proxies[0].rateLimit.by[2]: 'ip' is not a key (client, consumer, rule, header:<name>, path)",
        "proxies[0].rateLimit.by[3]: 'client' is listed twice",
        "proxies[0].rateLimit.onClusterFailure: 'maybe' is not one of allow, deny, local",
        "proxies[0].rateLimit.clusterTimeout: must be greater than 0",
        "proxies[0].rateLimit.syncInterval: must be at least 10ms",
        "proxies[0].rateLimit.maxKeys: must be between 100 and 1000000000, got 10",
        "proxies[0].rateLimit.limits[0].requests: must be between 1 and 1000000000, got 0",
        "proxies[0].rateLimit.limits[1].requests: is required",
        "proxies[0].rateLimit.limits[1].per: must be greater than 0",
        "proxies[0].rateLimit.limits[1].burst: must be between 1 and 1000000000, got 0",
        "proxies[0].rateLimit.limits[2].name: 'has space' must be 1-63 letters, digits or any of _ . / : -",
        "proxies[0].rateLimit.limits[4]: duplicate limit name '10-per-1s' (RateLimit headers name each limit; set"
            + " name: to tell them apart)",
        "proxies[0].rateLimit.limits[5].per: 'soon' is not a duration (use e.g. 500ms, 2s, 5m, 1h, 1d)",
        "proxies[0].rateLimit.routes[0].path: 'login' must start with /",
        "proxies[0].rateLimit.routes[0].methods[1]: 'b@d' is not an HTTP method",
        "proxies[0].rateLimit.routes[1].limits: is required: a route needs its own limits");
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("proxies[0].rateLimit.colour: unknown key"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("proxies[0].rateLimit.limits[5].brust: unknown key"));
  }

  @Test
  void aBlockWithoutLimitsOrRoutesIsAnError() {
    assertThat(problems("rateLimit: {mode: local}")).containsExactly(
        "proxies[0].rateLimit.limits: is required (e.g. limits: [{requests: 100, per: 1s}]), unless routes have their own");
  }
}
