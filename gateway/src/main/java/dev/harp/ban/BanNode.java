package dev.harp.ban;

import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryEvictedListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node's ban machinery, which every proxy's ban filter shares: the bans (a cluster map, copied on each member), the
 * failure counters, the service that bans and lifts, and the admin API under {@code /api/bans}. Made once per node,
 * by the first ban filter created, off the event loops (it configures Hazelcast maps).
 */
final class BanNode {

  static final String FAILURES_MAP = "harp.ban.failures";
  /** Failure counters kept per member; beyond it the least recently used are evicted (and counted). */
  static final int MAX_COUNTERS = 1_000_000;

  final BanStore store;
  final BanMetrics metrics;
  final IMap<String, long[]> failures;
  final BanService service;
  /**
   * Every proxy's ban settings by name, null for a proxy without a {@code ban:} block; filled as the proxies' filters
   * are created, all before the node serves (the admin API reads it for scopes and allow-lists).
   */
  private final Map<String, BanSettings> proxies = new LinkedHashMap<>();

  private BanNode(Vertx vertx, String nodeName, HazelcastInstance hazelcast, MeterRegistry registry) {
    try {
      hazelcast.getConfig().addMapConfig(new MapConfig(FAILURES_MAP).setBackupCount(1)
          .setStatisticsEnabled(false)
          .setEvictionConfig(new EvictionConfig().setEvictionPolicy(EvictionPolicy.LRU)
              .setMaxSizePolicy(MaxSizePolicy.PER_NODE).setSize(MAX_COUNTERS)));
    } catch (RuntimeException e) {
      // Already configured by another member (with other settings only across versions): keep theirs.
    }
    this.store = new BanStore(hazelcast);
    this.metrics = new BanMetrics(registry, store::size);
    this.failures = hazelcast.getMap(FAILURES_MAP);
    var evicted = metrics.evictions();
    // Each member counts evictions of the counters it owns: the cluster's total is the sum.
    failures.addLocalEntryListener((EntryEvictedListener<String, long[]>) e -> evicted.increment());
    this.service = new BanService(vertx, nodeName, store, metrics);
  }

  /** Starts the machinery and mounts the admin API; blocks on Hazelcast, so never on an event loop. */
  static BanNode start(Vertx vertx, String nodeName, HazelcastInstance hazelcast, MeterRegistry registry,
                       Router admin) {
    BanNode node = new BanNode(vertx, nodeName, hazelcast, registry);
    new BanAdmin(node.service, node.proxies).mount(admin);
    return node;
  }

  /** Records a proxy's settings (null: no {@code ban:} block) for the admin API. */
  void proxy(String name, BanSettings settings) {
    proxies.put(name, settings);
  }
}
