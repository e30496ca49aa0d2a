package dev.harp.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

  private static final String VALID = """
      cluster:
        name: harp-lab
        interface: 127.0.0.1
        port: 5701
        members: [127.0.0.1:5701, 127.0.0.1:5702, 127.0.0.1:5703]
      admin: {bind: 127.0.0.1, port: 4080}
      proxies:
        - name: catalog
          port: 4000
          upstream:
            endpoints: [http://127.0.0.1:9000, http://127.0.0.1:9001]
            lb: least-requests
          timeouts: {connect: 2s, response: 30s, idle: 60s}
      """;

  private static HarpConfig parse(String yaml) {
    return parse(yaml, Map.of());
  }

  private static HarpConfig parse(String yaml, Map<String, String> env) {
    return ConfigLoader.parse(yaml, "test.yaml", env, null);
  }

  private static InvalidConfigException invalid(String yaml) {
    try {
      parse(yaml);
    } catch (InvalidConfigException e) {
      return e;
    }
    throw new AssertionError("config was accepted:\n" + yaml);
  }

  @Test
  void readsTheDocumentedShapeWithDefaults() {
    HarpConfig c = parse(VALID);
    assertThat(c.cluster()).get().satisfies(cl -> {
      assertThat(cl.name()).isEqualTo("harp-lab");
      assertThat(cl.members()).hasSize(3);
    });
    ProxyConfig p = c.proxy("catalog");
    assertThat(p.port()).isEqualTo(4000);
    assertThat(p.bind()).isEqualTo("0.0.0.0");
    assertThat(p.upstream().balancing()).isEqualTo(ProxyConfig.Balancing.LEAST_REQUESTS);
    assertThat(p.upstream().endpoints()).extracting(ProxyConfig.Endpoint::url)
        .containsExactly("http://127.0.0.1:9000", "http://127.0.0.1:9001");
    assertThat(p.timeouts().response()).isEqualTo(Duration.ofSeconds(30));
    assertThat(p.timeouts().websocketIdle()).isZero();
    assertThat(p.limits().maxHeaderCount()).isEqualTo(100);
  }

  @Test
  void absentClusterMeansStandalone() {
    HarpConfig c = parse("proxies: [{name: a, port: 4000, upstream: {endpoints: ['http://127.0.0.1:9000']}}]");
    assertThat(c.cluster()).isEmpty();
    assertThat(c.admin().port()).isEqualTo(4080);
  }

  /** The allowed list grows with every feature block; the point is the path, the reason and that core keys show. */
  private static final String UNKNOWN_TELEPORT = unknownTeleport();

  private static String unknownTeleport() {
    java.util.TreeSet<String> keys = new java.util.TreeSet<>(ProxyReader.CORE_KEYS);
    for (ProxyBlockReader<?> r : java.util.ServiceLoader.load(ProxyBlockReader.class)) {
      keys.add(r.key());
    }
    for (dev.harp.spi.FilterFactory<?> f : java.util.ServiceLoader.load(dev.harp.spi.FilterFactory.class)) {
      // A factory that reads several blocks (resilience) allows each of them.
      keys.addAll(f.configKeys().isEmpty() ? java.util.Set.of(f.configKey()) : f.configKeys());
    }
    return "proxies[1].teleport: unknown key (allowed here: " + String.join(", ", keys) + ")";
  }

  @Test
  void reportsEveryProblemAtOnceWithItsKeyPath() {
    InvalidConfigException e = invalid("""
        admin: {bind: 127.0.0.1, port: 4000, colour: blue}
        proxies:
          - name: catalog
            port: 4000
            upstream:
              endpoints: [ftp://example.com, 'http://']
              lb: random
            timeouts: {connect: -2s, response: soon}
          - name: catalog
            port: "x"
            upstream: {endpoints: [http://127.0.0.1:9000]}
            teleport: {}
        """);
    assertThat(e.problems()).containsExactlyInAnyOrder(
        "admin.colour: unknown key (allowed here: bind, loginCacheTtl, openHealth, openMetrics, port, tokens, users)",
        "proxies[0].upstream.endpoints[0]: 'ftp://example.com' must start with http:// or https://",
        "proxies[0].upstream.endpoints[1]: 'http://' is not a valid URL: Expected authority",
        "proxies[0].upstream.lb: 'random' is not a balancing strategy (round-robin, least-requests, "
            + "consistent-hash)",
        "proxies[0].timeouts.connect: '-2s' is negative; durations must be >= 0",
        "proxies[0].timeouts.response: 'soon' is not a duration (use e.g. 500ms, 2s, 5m, 1h, 1d)",
        "proxies[1].port: must be an integer, got 'x'",
        "proxies[1].name: duplicate proxy name 'catalog'",
        "proxies[0].port: port 4000 is already used by admin.port",
        UNKNOWN_TELEPORT);
    assertThat(e.getMessage()).startsWith("invalid config test.yaml (10 problems)");
  }

  @Test
  void portClashesBetweenProxiesAndClusterAreNamed() {
    InvalidConfigException e = invalid("""
        cluster: {port: 5701}
        proxies:
          - {name: a, port: 5701, upstream: {endpoints: ['http://127.0.0.1:1']}}
          - {name: b, port: 4001, upstream: {endpoints: ['http://127.0.0.1:1']}}
          - {name: c, port: 4001, upstream: {endpoints: ['http://127.0.0.1:1']}}
        """);
    assertThat(e.problems()).containsExactly(
        "proxies[0].port: port 5701 is already used by cluster.port",
        "proxies[2].port: port 4001 is already used by proxies[1].port");
  }

  @Test
  void wrongTypesAndMissingRequiredKeys() {
    InvalidConfigException e = invalid("""
        cluster: {members: 5701, interface: localhost}
        proxies:
          - name: bad name!
            upstream: {endpoints: []}
          - port: 70000
            upstream: http://127.0.0.1:9000
        """);
    assertThat(e.problems()).containsExactlyInAnyOrder(
        "cluster.interface: 'localhost' is not an IP address (a literal address is required here)",
        "cluster.members: must be a list of strings, got number 5701",
        "proxies[0].name: 'bad name!' must be 1-63 letters, digits, '-' or '_', starting with a letter or digit",
        "proxies[0].port: is required",
        "proxies[0].upstream.endpoints: must list at least one endpoint URL",
        "proxies[1].name: is required",
        "proxies[1].port: must be between 0 and 65535, got 70000",
        "proxies[1].upstream: must be a mapping, got 'http://127.0.0.1:9000'",
        "proxies[1].upstream: is required (endpoints: [http://host:port, ...])");
  }

  @Test
  void yamlSyntaxErrorsAndDuplicateKeysAreRefused() {
    assertThat(invalid("proxies: [\n").problems().get(0)).startsWith("(syntax): ");
    assertThat(invalid("admin: {port: 1}\nadmin: {port: 2}\nproxies: []").problems().get(0))
        .startsWith("(syntax): Duplicate field 'admin'");
  }

  @Test
  void environmentOverridesByPathIndexAndName() {
    HarpConfig c = parse(VALID, Map.of(
        "HARP_ADMIN__PORT", "5080",
        "HARP_PROXIES__CATALOG__UPSTREAM__LB", "round-robin",
        "HARP_PROXIES__0__TIMEOUTS__IDLE", "5s",
        "HARP_LOG_FORMAT", "json"));
    assertThat(c.admin().port()).isEqualTo(5080);
    assertThat(c.proxy("catalog").upstream().balancing()).isEqualTo(ProxyConfig.Balancing.ROUND_ROBIN);
    assertThat(c.proxy("catalog").timeouts().idle()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void anOverrideIsValidatedLikeTheFile() {
    InvalidConfigException e = assertThrowsInvalid(() -> parse(VALID, Map.of("HARP_ADMIN__PORT", "-1",
        "HARP_PROXIES__NOPE__PORT", "1")));
    assertThat(e.problems()).containsExactlyInAnyOrder(
        "admin.port: must be between 0 and 65535, got -1",
        "env HARP_PROXIES__NOPE__PORT: no list element 'NOPE' (use an index or the element's name)");
  }

  @Test
  void secretsComeFromFilesAndEnvironment(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("upstream-host"), "127.0.0.1\n");
    Path config = dir.resolve("harp.yaml");
    Files.writeString(config, """
        node: {name: '${env:NODE_NAME}'}
        proxies:
          - name: a
            port: 4000
            upstream: {endpoints: ['http://${file:upstream-host}:9000']}
        """);
    HarpConfig c = ConfigLoader.load(config, Map.of("NODE_NAME", "n7"));
    assertThat(c.node().name()).isEqualTo("n7");
    assertThat(c.proxy("a").upstream().endpoints().get(0).url()).isEqualTo("http://127.0.0.1:9000");

    InvalidConfigException e = assertThrowsInvalid(() -> ConfigLoader.load(config, Map.of()));
    assertThat(e.problems()).containsExactly("node.name: environment variable NODE_NAME is not set");
  }

  @Test
  void endpointBasePathsAndHttpsDefaults() {
    ProxyConfig.Endpoint e = ProxyReader.endpoint("https://api.example.com/v2/");
    assertThat(e.port()).isEqualTo(443);
    assertThat(e.basePath()).isEqualTo("/v2");
    assertThat(e.authority()).isEqualTo("api.example.com");
    assertThatThrownBy(() -> ProxyReader.endpoint("http://h:1/x?y=1"))
        .hasMessageContaining("must not carry a query");
  }

  private static InvalidConfigException assertThrowsInvalid(Runnable r) {
    try {
      r.run();
    } catch (InvalidConfigException e) {
      return e;
    }
    throw new AssertionError("accepted");
  }
}
