package dev.harp.ban;

import com.hazelcast.map.ExtendedMapEntry;
import dev.harp.config.ConfigLoader;
import dev.harp.config.InvalidConfigException;
import dev.harp.engine.FilterBlock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The ban block and the failure window, without a cluster. */
class BanUnitTest {

  private static final long S = 1_000_000_000L;
  private static final String PROXY = """
      proxies:
        - name: api
          port: 4000
          upstream: {endpoints: ['http://127.0.0.1:9000']}
      """;

  private static BanSettings parse(String block) {
    return (BanSettings) ConfigLoader.parse(PROXY + block.indent(4), "test.yaml", Map.of(), null).proxy("api")
        .<FilterBlock>feature("ban").orElseThrow().config();
  }

  @Test
  void defaultsAndTheDocumentedShape() {
    BanSettings d = parse("ban: {}");
    assertThat(d.statuses()).containsExactlyInAnyOrder(401, 403);
    assertThat(d.threshold()).isEqualTo(10);
    assertThat(d.window()).isEqualTo(Duration.ofMinutes(1));
    assertThat(d.duration()).isEqualTo(Duration.ofMinutes(15));
    assertThat(d.status()).isEqualTo(403);
    assertThat(d.allow().isEmpty()).isTrue();
    BanSettings s = parse("ban: {statuses: [401, 404], threshold: 5, window: 30s, duration: 1h, status: 404,"
        + " allow: [10.0.0.0/8]}");
    assertThat(s.statuses()).isEqualTo(Set.of(401, 404));
    assertThat(s.status()).isEqualTo(404);
    assertThat(s.allow().contains("10.2.3.4")).isTrue();
  }

  @Test
  void mistakesAreNamedByKeyPath() {
    List<String> problems;
    try {
      parse("ban: {statuses: [401, 700, x], threshold: 0, window: 0s, duration: 2y, status: 500, allow: [nope],"
          + " colour: red}");
      throw new AssertionError("accepted");
    } catch (InvalidConfigException e) {
      problems = e.problems();
    }
    assertThat(problems).contains(
        "proxies[0].ban.statuses[1]: must be an HTTP status (100-599), got 700",
        "proxies[0].ban.statuses[2]: must be an HTTP status (100-599), got \"x\"",
        "proxies[0].ban.threshold: must be between 1 and 1000, got 0",
        "proxies[0].ban.window: must be at least 1ms",
        "proxies[0].ban.duration: '2y' is not a duration (use e.g. 500ms, 2s, 5m, 1h, 1d)",
        "proxies[0].ban.status: must be between 400 and 499, got 500",
        "proxies[0].ban.allow[0]: 'nope' is not an IP address or CIDR block (e.g. 10.0.0.0/8)");
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("proxies[0].ban.colour: unknown key"));
  }

  @Test
  void theWindowIsExactAndACrossingBansOnce() {
    Entry entry = new Entry();
    long t0 = 1_700_000_000L * S;
    FailureWindowProcessor p = new FailureWindowProcessor(3, 60 * S);
    // Three failures spread over 61 s never fit one window...
    assertThat(p.process(entry, t0)).isFalse();
    assertThat(p.process(entry, t0 + 30 * S)).isFalse();
    assertThat(p.process(entry, t0 + 61 * S)).isFalse();
    // ...the third within 60 s of the first of the last three does, and empties the ring.
    assertThat(p.process(entry, t0 + 62 * S)).isTrue();
    assertThat(entry.value).containsOnly(0L);
    assertThat(p.process(entry, t0 + 63 * S)).as("a fresh start after a crossing").isFalse();
    assertThat(entry.ttl).isEqualTo(61_000);
    assertThat(new FailureWindowProcessor(1, S).process(new Entry(), t0)).as("threshold 1: the first bans").isTrue();
  }

  static final class Entry implements ExtendedMapEntry<String, long[]> {
    long[] value;
    long ttl;

    @Override
    public long[] setValue(long[] v, long t, TimeUnit unit) {
      value = v;
      ttl = unit.toMillis(t);
      return null;
    }

    @Override
    public long[] setValueWithoutChangingExpiryTime(long[] v) {
      value = v;
      return null;
    }

    @Override
    public String getKey() {
      return "k";
    }

    @Override
    public long[] getValue() {
      return value;
    }

    @Override
    public long[] setValue(long[] v) {
      value = v;
      return null;
    }
  }
}
