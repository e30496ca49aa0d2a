package dev.harp.cache;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.LocalMapStats;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import dev.harp.node.NodeContext;
import dev.harp.node.ProxyFeature;
import dev.harp.engine.ProxyRuntime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cache feature: for every proxy with a {@code cache:} block, a Hazelcast map (backups, near cache, size limit,
 * eviction), the interceptor at {@link #ORDER_CACHE}, meters, and the admin purge API.
 */
public final class CacheFeature implements ProxyFeature {

  private static final Logger LOG = LoggerFactory.getLogger(CacheFeature.class);
  /** How often each node samples its members' map statistics for the bytes/entries gauges. */
  private static final long STATS_PERIOD_MS = 5_000;
  /** At most one storage-pressure warning per proxy and node in this period; the counter has every eviction. */
  private static final long PRESSURE_LOG_PERIOD_MS = 60_000;

  /**
   * The clock every cache in this JVM reads for ages and freshness. Tests replace it (before starting nodes) to move
   * time without sleeping; Hazelcast TTLs stay on real time, which only keeps entries longer than needed.
   */
  static volatile Clock clock = Clock.systemUTC();

  private final List<Long> timers = new ArrayList<>();
  private Vertx vertx;

  @Override
  public int order() {
    return ORDER_CACHE;
  }

  @Override
  public Future<Void> start(NodeContext node) {
    vertx = node.vertx();
    List<ProxyRuntime> cached = node.proxies().values().stream()
        .filter(r -> r.config().feature("cache").isPresent()).toList();
    if (cached.isEmpty()) {
      return Future.succeededFuture();
    }
    HazelcastInstance hz = node.hazelcast();
    // Map config, proxies and listeners are cluster operations that block: a worker thread does them.
    return vertx.executeBlocking(() -> {
      Purges purges = new Purges(hz.getExecutorService("harp-cache-purge"));
      for (ProxyRuntime runtime : cached) {
        attach(node, hz, runtime, purges);
      }
      return purges;
    }, false).onSuccess(purges -> purges.mount(node.adminRouter())).mapEmpty();
  }

  private void attach(NodeContext node, HazelcastInstance hz, ProxyRuntime runtime, Purges purges) {
    String proxy = runtime.name();
    CacheSettings settings = runtime.config().<CacheSettings>feature("cache").orElseThrow();
    try {
      hz.getConfig().addMapConfig(CacheMaps.config(proxy, settings));
    } catch (RuntimeException e) {
      throw new IllegalStateException("cache of proxy '" + proxy + "': its settings differ from another member's "
          + "(every node must use the same cache block for a proxy): " + e.getMessage(), e);
    }
    IMap<String, StoredResource> map = hz.getMap(Purges.mapName(proxy));
    CacheMetrics metrics = new CacheMetrics(node.metrics(), proxy);
    watchStoragePressure(map, metrics, proxy, settings);
    ProxyCache cache = new ProxyCache(proxy, settings, new CacheStore(map, settings, metrics), metrics, clock,
        runtime.config().preserveHost());
    purges.register(cache);
    runtime.addInterceptor("cache", new CacheInterceptor(cache, purges));
    timers.add(vertx.setPeriodic(STATS_PERIOD_MS, id -> sampleStats(map, metrics)));
    LOG.info("cache on for proxy {}: map {} ({} backup(s), {} per node, {} eviction, near cache {} entries)",
        proxy, map.getName(), settings.backups(), settings.maxSizePerNode(), settings.eviction(),
        settings.nearCacheEntries());
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

  private void sampleStats(IMap<String, StoredResource> map, CacheMetrics metrics) {
    vertx.executeBlocking(() -> {
      LocalMapStats stats = map.getLocalMapStats();
      metrics.bytesHeld = stats.getOwnedEntryMemoryCost() + stats.getBackupEntryMemoryCost();
      metrics.entriesOwned = stats.getOwnedEntryCount();
      return null;
    }, false);
  }

  @Override
  public Future<Void> stop() {
    if (vertx != null) {
      timers.forEach(vertx::cancelTimer);
    }
    return Future.succeededFuture();
  }
}
