package dev.harp.cache;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.LocalMapStats;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node's cache machinery, which every proxy's cache filter shares: the cluster-wide purge (executor and admin
 * API), and for each proxy its Hazelcast map (backups, near cache, size limit, eviction), meters and the sampling of
 * its map statistics. Made once per node, by the first cache filter created, off the event loops (it calls
 * Hazelcast).
 */
final class CacheNode {

  private static final Logger LOG = LoggerFactory.getLogger(CacheNode.class);
  /** How often each node samples its members' map statistics for the bytes/entries gauges. */
  private static final long STATS_PERIOD_MS = 5_000;
  /** At most one storage-pressure warning per proxy and node in this period; the counter has every eviction. */
  private static final long PRESSURE_LOG_PERIOD_MS = 60_000;

  final Purges purges;
  private final Vertx vertx;
  private final HazelcastInstance hz;
  private final List<Long> timers = new ArrayList<>();

  private CacheNode(Vertx vertx, HazelcastInstance hz, Purges purges) {
    this.vertx = vertx;
    this.hz = hz;
    this.purges = purges;
  }

  /** Starts the purge executor and mounts the admin purge API; blocks on Hazelcast, so never on an event loop. */
  static CacheNode start(Vertx vertx, HazelcastInstance hz, Router admin) {
    Purges purges = new Purges(hz.getExecutorService("harp-cache-purge"));
    purges.mount(admin);
    return new CacheNode(vertx, hz, purges);
  }

  /** One proxy's cache: its map configured and watched, its meters; blocks on Hazelcast. */
  synchronized ProxyCache attach(String proxy, CacheSettings settings, MeterRegistry registry, Clock clock,
                                 boolean preserveHost) {
    try {
      hz.getConfig().addMapConfig(CacheMaps.config(proxy, settings));
    } catch (RuntimeException e) {
      throw new IllegalStateException("cache of proxy '" + proxy + "': its settings differ from another member's "
          + "(every node must use the same cache block for a proxy): " + e.getMessage(), e);
    }
    IMap<String, StoredResource> map = hz.getMap(Purges.mapName(proxy));
    CacheMetrics metrics = new CacheMetrics(registry, proxy);
    watchStoragePressure(map, metrics, proxy, settings);
    ProxyCache cache = new ProxyCache(proxy, settings, new CacheStore(map, settings, metrics), metrics, clock,
        preserveHost);
    purges.register(cache);
    timers.add(vertx.setPeriodic(STATS_PERIOD_MS, id -> sampleStats(map, metrics)));
    LOG.info("cache on for proxy {}: map {} ({} backup(s), {} per node, {} eviction, near cache {} entries)",
        proxy, map.getName(), settings.backups(), settings.maxSizePerNode(), settings.eviction(),
        settings.nearCacheEntries());
    return cache;
  }

  /** Evictions and expirations are counted on the member that owned the entry, so each is counted once. */
  private static void watchStoragePressure(IMap<String, StoredResource> map, CacheMetrics metrics, String proxy,
                                           CacheSettings settings) {
    AtomicLong lastWarning = new AtomicLong();
    map.addLocalEntryListener((EntryEvictedListener<String, StoredResource>) e -> {
      metrics.evictions.increment();
      long now = System.currentTimeMillis();
      long last = lastWarning.get();
      if (now - last > PRESSURE_LOG_PERIOD_MS && lastWarning.compareAndSet(last, now)) {
        LOG.warn("cache of proxy {} is full (maxSizePerNode {} bytes): evicting entries; "
            + "see harp_cache_evictions_total", proxy, settings.maxSizePerNode());
      }
    });
    map.addLocalEntryListener((EntryExpiredListener<String, StoredResource>) e -> metrics.expirations.increment());
  }

  /** Map statistics are a blocking call: sampled on a worker. */
  private void sampleStats(IMap<String, StoredResource> map, CacheMetrics metrics) {
    vertx.executeBlocking(() -> {
      LocalMapStats stats = map.getLocalMapStats();
      metrics.bytesHeld = stats.getOwnedEntryMemoryCost() + stats.getBackupEntryMemoryCost();
      metrics.entriesOwned = stats.getOwnedEntryCount();
      return null;
    }, false);
  }

  /** Stops the statistics timers, after the proxies drained. */
  synchronized void stop() {
    timers.forEach(vertx::cancelTimer);
    timers.clear();
  }
}
