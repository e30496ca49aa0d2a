package dev.harp.audit;

import dev.harp.audit.tlog.NoteSigner;
import dev.harp.config.AuditConfig;
import dev.harp.config.ConfigLoader;
import dev.harp.config.HarpConfig;
import dev.harp.config.InvalidConfigException;
import dev.harp.engine.PipelineOrder;
import dev.harp.engine.Pipelines;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The top-level {@code audit:} block: defaults, every mistake named by its key path, and where the filter sits. */
class AuditConfigTest {

  private static final String PROXIES = """
      node: {name: n1}
      proxies:
        - {name: api, port: 18080, upstream: {endpoints: ['http://127.0.0.1:9']}}
        - {name: quiet, port: 18081, upstream: {endpoints: ['http://127.0.0.1:9']}, audit: {enabled: false}}
      """;

  private static HarpConfig parse(String top) {
    return ConfigLoader.parse(top + PROXIES, "test.yaml", Map.of(), null);
  }

  private static List<String> problems(String top) {
    try {
      parse(top);
    } catch (InvalidConfigException e) {
      return e.problems();
    }
    throw new AssertionError("config was accepted:\n" + top);
  }

  @Test
  void defaultsWhenTheBlockIsThereAndNothingWhenItIsNot() {
    AuditConfig a = parse("audit: {}\n").audit().orElseThrow();
    assertThat(a.dataDir()).isEqualTo(Path.of("data", "n1"));
    assertThat(a.quorum()).as("standalone: the node's own signature").isEqualTo(1);
    assertThat(a.checkpointInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(a.commitWindow()).isEqualTo(Duration.ofMillis(100));
    assertThat(a.queue()).isEqualTo(10_000);
    assertThat(a.maxSize()).isEqualTo(1L << 30);
    assertThat(parse("").audit()).isEmpty();
    assertThat(parse("audit: {enabled: false}\n").audit()).isEmpty();
  }

  @Test
  void theFilterIsFirstOnEveryProxyOnlyWhenTheNodeKeepsATrail() {
    HarpConfig on = parse("audit: {}\n");
    var proxy = on.proxies().get(0);
    assertThat(((PipelineOrder.Ordered) Pipelines.order(proxy, Pipelines.fromConfig(proxy))).names())
        .first().isEqualTo("audit");
    HarpConfig off = parse("");
    assertThat(Pipelines.fromConfig(off.proxies().get(0))).doesNotContain("audit");
  }

  @Test
  void mistakesAreNamedByTheirKeyPaths() {
    assertThat(problems("""
        audit: {quorum: 0, checkpointInterval: 0s, maxSize: 1KiB, colour: red, trustedKeys: ['not-a-key']}
        """)).anySatisfy(p -> assertThat(p).startsWith("audit.quorum: "))
        .anySatisfy(p -> assertThat(p).startsWith("audit.checkpointInterval: must be greater than 0"))
        .anySatisfy(p -> assertThat(p).startsWith("audit.maxSize: at least 1MiB"))
        .anySatisfy(p -> assertThat(p).startsWith("audit.colour: unknown key"))
        .anySatisfy(p -> assertThat(p).startsWith("audit.trustedKeys[0]: not a verifier key"));
  }

  @Test
  void pinnedKeysAreAccepted() {
    String key = NoteSigner.generate("harp.audit/c/n1", NoteSigner.Role.LOG).verifier().encode();
    assertThat(parse("audit: {trustedKeys: ['" + key + "']}\n").audit().orElseThrow().trustedKeys())
        .containsExactly(key);
  }
}
