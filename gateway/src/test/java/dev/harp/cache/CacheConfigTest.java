package dev.harp.cache;

import dev.harp.config.ConfigLoader;
import dev.harp.config.HarpConfig;
import dev.harp.config.InvalidConfigException;
import dev.harp.engine.FilterBlock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The {@code cache:} block: defaults, and every mistake reported with its key path. */
class CacheConfigTest {

  private static HarpConfig parse(String cacheBlock) {
    return ConfigLoader.parse("""
        proxies:
          - name: api
            port: 4000
            upstream: {endpoints: [http://127.0.0.1:9000]}
            cache: %s
        """.formatted(cacheBlock), "test.yaml", Map.of(), null);
  }

  /** The cache is a filter: the proxy's config holds its block as the factory read it. */
  private static CacheSettings settings(HarpConfig config) {
    return config.proxies().get(0).<FilterBlock>feature("cache").map(b -> (CacheSettings) b.config()).orElseThrow();
  }

  private static List<String> problems(String cacheBlock) {
    return catchThrowableOfType(() -> parse(cacheBlock), InvalidConfigException.class).problems();
  }

  @Test
  void anEmptyBlockTurnsTheCacheOnWithEveryDefault() {
    CacheSettings s = settings(parse("{}"));
    assertThat(s).isEqualTo(CacheSettings.defaults());
    assertThat(s.maxObjectSize()).isEqualTo(1 << 20);
    assertThat(s.maxSizePerNode()).isEqualTo(256L << 20);
    assertThat(s.backups()).isEqualTo(1);
    assertThat(s.staleIfError()).isEqualTo(Duration.ZERO);
    assertThat(s.coalesce()).isTrue();
    assertThat(s.purgeAllow().toString()).isEqualTo("[127.0.0.1/32, 0:0:0:0:0:0:0:1/128]");
  }

  @Test
  void noBlockMeansNoCache() {
    HarpConfig c = ConfigLoader.parse("""
        proxies:
          - {name: api, port: 4000, upstream: {endpoints: [http://127.0.0.1:9000]}}
        """, "test.yaml", Map.of(), null);
    assertThat(c.proxies().get(0).feature("cache")).isEmpty();
  }

  @Test
  void everySettingIsRead() {
    CacheSettings s = settings(parse("""
        {maxObjectSize: 64KiB, maxSizePerNode: 32MiB, eviction: lfu, backups: 2, maxTtl: 1d, keepStale: 5m,
         staleWhileRevalidate: 30s, staleIfError: 10m, heuristicFraction: 0.2, heuristicMax: 2h, maxVariants: 4,
         coalesce: false, coalesceTimeout: 1s, nearCacheEntries: 0, nearCacheTtl: 5s,
         purgeAllow: [10.0.0.0/8, "fd00::/8"], storeSetCookie: true, statusName: edge-1}"""));
    assertThat(s.maxObjectSize()).isEqualTo(64 * 1024);
    assertThat(s.maxSizePerNode()).isEqualTo(32L << 20);
    assertThat(s.eviction()).isEqualTo(CacheSettings.Eviction.LFU);
    assertThat(s.backups()).isEqualTo(2);
    assertThat(s.staleIfError()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.heuristicFraction()).isEqualTo(0.2);
    assertThat(s.coalesce()).isFalse();
    assertThat(s.nearCacheEntries()).isZero();
    assertThat(s.purgeAllow().blocks()).hasSize(2);
    assertThat(s.storeSetCookie()).isTrue();
    assertThat(s.statusName()).isEqualTo("edge-1");
  }

  @Test
  void everyMistakeIsReportedWithItsKeyPath() {
    List<String> problems = problems("""
        {maxObjectSize: 0, maxSizePerNode: 100KiB, eviction: fifo, backups: 9, heuristicFraction: 1.5,
         purgeAllow: [127.0.0.1, 10.0.0.0/33, example.com], maxSize: 1, statusName: "two words",
         coalesceTimeout: 0s, staleIfError: -1s}""");
    assertThat(problems).contains(
        "proxies[0].cache.maxObjectSize: must be between 1 byte and 2GiB, got 0",
        "proxies[0].cache.maxSizePerNode: must be at least 1MiB (Hazelcast counts in megabytes), got 102400",
        "proxies[0].cache.eviction: 'fifo' is not an eviction policy (lru, lfu, random)",
        "proxies[0].cache.backups: must be between 0 and 6, got 9",
        "proxies[0].cache.heuristicFraction: must be between 0 and 1, got 1.5",
        "proxies[0].cache.purgeAllow[1]: '10.0.0.0/33' has an invalid prefix length (0-32)",
        "proxies[0].cache.purgeAllow[2]: 'example.com' is not an IP address or CIDR block (e.g. 10.0.0.0/8)",
        "proxies[0].cache.statusName: 'two words' must be a token (a letter, then letters, digits, _ . : -)",
        "proxies[0].cache.coalesceTimeout: must be greater than 0 while coalesce is on");
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("proxies[0].cache.maxSize: unknown key"));
    assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("proxies[0].cache.staleIfError:"));
  }

  @Test
  void aMaxObjectSizeAboveTheNodeLimitIsAnError() {
    assertThat(problems("{maxObjectSize: 2MiB, maxSizePerNode: 1MiB}"))
        .containsExactly("proxies[0].cache.maxObjectSize: must not exceed maxSizePerNode (1048576 bytes)");
  }

  @Test
  void theBlockMustBeAMapping() {
    assertThat(problems("yes")).anySatisfy(p -> assertThat(p).startsWith("proxies[0].cache: must be a mapping"));
  }
}
