package dev.harp.cache;

import dev.harp.net.AddressSet;

import java.time.Duration;
import java.util.List;

/**
 * One proxy's {@code cache:} block, validated. Every field has a default ({@link CacheBlockReader}); docs/cache.md
 * explains each.
 *
 * @param maxObjectSize        larger responses stream through uncached
 * @param maxSizePerNode       Hazelcast's USED_HEAP_SIZE limit for this proxy's map on each member (owned + backup
 *                             entries); beyond it entries are evicted by {@code eviction}
 * @param keepStale            how long a stale response with a validator is kept to be revalidated cheaply (304)
 * @param staleWhileRevalidate default when a response carries no stale-while-revalidate directive (RFC 5861)
 * @param staleIfError         default when a response carries no stale-if-error directive (RFC 5861)
 * @param heuristicFraction    share of (Date - Last-Modified) used as heuristic freshness; 0 turns it off
 * @param purgeAllow           networks whose clients may send PURGE to the proxy; empty turns PURGE off
 * @param statusName           the cache's name in Cache-Status (RFC 9211)
 */
public record CacheSettings(long maxObjectSize, long maxSizePerNode, Eviction eviction, int backups, Duration maxTtl,
                            Duration keepStale, Duration staleWhileRevalidate, Duration staleIfError,
                            double heuristicFraction, Duration heuristicMax, int maxVariants, boolean coalesce,
                            Duration coalesceTimeout, int nearCacheEntries, Duration nearCacheTtl,
                            AddressSet purgeAllow, boolean storeSetCookie, String statusName) {

  public enum Eviction { LRU, LFU, RANDOM }

  public static final long DEFAULT_MAX_OBJECT_SIZE = 1 << 20;
  public static final long DEFAULT_MAX_SIZE_PER_NODE = 256L << 20;
  public static final Eviction DEFAULT_EVICTION = Eviction.LRU;
  public static final int DEFAULT_BACKUPS = 1;
  public static final Duration DEFAULT_MAX_TTL = Duration.ofDays(7);
  public static final Duration DEFAULT_KEEP_STALE = Duration.ofMinutes(10);
  public static final double DEFAULT_HEURISTIC_FRACTION = 0.1;
  public static final Duration DEFAULT_HEURISTIC_MAX = Duration.ofDays(1);
  public static final int DEFAULT_MAX_VARIANTS = 16;
  public static final Duration DEFAULT_COALESCE_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_NEAR_CACHE_ENTRIES = 500;
  public static final Duration DEFAULT_NEAR_CACHE_TTL = Duration.ofSeconds(30);
  public static final List<String> DEFAULT_PURGE_ALLOW = List.of("127.0.0.1/32", "::1/128");
  public static final String DEFAULT_STATUS_NAME = "harp";

  public static CacheSettings defaults() {
    return new CacheSettings(DEFAULT_MAX_OBJECT_SIZE, DEFAULT_MAX_SIZE_PER_NODE, DEFAULT_EVICTION, DEFAULT_BACKUPS,
        DEFAULT_MAX_TTL, DEFAULT_KEEP_STALE, Duration.ZERO, Duration.ZERO, DEFAULT_HEURISTIC_FRACTION,
        DEFAULT_HEURISTIC_MAX, DEFAULT_MAX_VARIANTS, true, DEFAULT_COALESCE_TIMEOUT, DEFAULT_NEAR_CACHE_ENTRIES,
        DEFAULT_NEAR_CACHE_TTL, AddressSet.of(DEFAULT_PURGE_ALLOW), false, DEFAULT_STATUS_NAME);
  }
}
