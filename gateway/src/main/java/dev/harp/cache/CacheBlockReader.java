package dev.harp.cache;

import dev.harp.cache.CacheSettings.Eviction;
import dev.harp.config.ConfigNode;
import dev.harp.net.AddressSet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.harp.cache.CacheSettings.*;

/** Reads a proxy's {@code cache:} block; {@code cache: {}} turns the cache on with every default. */
final class CacheBlockReader {

  static final Set<String> KEYS = Set.of("maxObjectSize", "maxSizePerNode", "eviction", "backups", "maxTtl",
      "keepStale", "staleWhileRevalidate", "staleIfError", "heuristicFraction", "heuristicMax", "maxVariants",
      "coalesce", "coalesceTimeout", "nearCacheEntries", "nearCacheTtl", "purgeAllow", "storeSetCookie",
      "statusName");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z][A-Za-z0-9_.:-]{0,62}");

  /** Records every problem on {@code n}, with its key path; never throws for bad input. */
  CacheSettings read(ConfigNode n) {
    n.allowOnly(KEYS);
    long maxObject = n.bytes("maxObjectSize", DEFAULT_MAX_OBJECT_SIZE);
    if (maxObject < 1 || maxObject > Integer.MAX_VALUE - 8) {
      n.problem("maxObjectSize", "must be between 1 byte and 2GiB, got " + maxObject);
    }
    long maxSize = n.bytes("maxSizePerNode", DEFAULT_MAX_SIZE_PER_NODE);
    if (maxSize < (1 << 20)) {
      n.problem("maxSizePerNode", "must be at least 1MiB (Hazelcast counts in megabytes), got " + maxSize);
    } else if (maxObject > maxSize) {
      n.problem("maxObjectSize", "must not exceed maxSizePerNode (" + maxSize + " bytes)");
    }
    Eviction eviction = n.parsed("eviction", DEFAULT_EVICTION, CacheBlockReader::eviction);
    int backups = (int) n.integer("backups", DEFAULT_BACKUPS, 0, 6);
    Duration maxTtl = n.duration("maxTtl", DEFAULT_MAX_TTL);
    if (maxTtl.compareTo(Duration.ofSeconds(1)) < 0) {
      n.problem("maxTtl", "must be at least 1s");
    }
    Duration keepStale = n.duration("keepStale", DEFAULT_KEEP_STALE);
    Duration swr = n.duration("staleWhileRevalidate", Duration.ZERO);
    Duration sie = n.duration("staleIfError", Duration.ZERO);
    double fraction = n.parsed("heuristicFraction", DEFAULT_HEURISTIC_FRACTION, CacheBlockReader::fraction);
    Duration heuristicMax = n.duration("heuristicMax", DEFAULT_HEURISTIC_MAX);
    int maxVariants = (int) n.integer("maxVariants", DEFAULT_MAX_VARIANTS, 1, 1024);
    boolean coalesce = n.bool("coalesce", true);
    Duration coalesceTimeout = n.duration("coalesceTimeout", DEFAULT_COALESCE_TIMEOUT);
    if (coalesce && coalesceTimeout.isZero()) {
      n.problem("coalesceTimeout", "must be greater than 0 while coalesce is on");
    }
    int nearEntries = (int) n.integer("nearCacheEntries", DEFAULT_NEAR_CACHE_ENTRIES, 0, 1_000_000);
    Duration nearTtl = n.duration("nearCacheTtl", DEFAULT_NEAR_CACHE_TTL);
    AddressSet purgeAllow = purgeAllow(n);
    boolean setCookie = n.bool("storeSetCookie", false);
    String statusName = n.string("statusName", DEFAULT_STATUS_NAME);
    if (!TOKEN.matcher(statusName).matches()) {
      n.problem("statusName", "'" + statusName + "' must be a token (a letter, then letters, digits, _ . : -)");
      statusName = DEFAULT_STATUS_NAME;
    }
    return new CacheSettings(maxObject, maxSize, eviction, backups, maxTtl, keepStale, swr, sie, fraction,
        heuristicMax, maxVariants, coalesce, coalesceTimeout, nearEntries, nearTtl, purgeAllow, setCookie,
        statusName);
  }

  private static AddressSet purgeAllow(ConfigNode n) {
    return n.has("purgeAllow") ? AddressSet.read(n, "purgeAllow") : AddressSet.of(DEFAULT_PURGE_ALLOW);
  }

  private static Eviction eviction(String s) {
    try {
      return Eviction.valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + s + "' is not an eviction policy (lru, lfu, random)");
    }
  }

  private static double fraction(String s) {
    double d;
    try {
      d = Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a number between 0 and 1");
    }
    if (!(d >= 0 && d <= 1)) {
      throw new IllegalArgumentException("must be between 0 and 1, got " + s);
    }
    return d;
  }
}
