package dev.harp.ban;

import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryEvictedListener;
import dev.harp.node.NodeContext;
import dev.harp.node.ProxyFeature;
import dev.harp.proxy.ProxyRuntime;
import dev.harp.net.ClientAddresses;
import io.vertx.core.Future;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Brute-force protection: a ban check first in every proxy's chain (so bans made by hand hold on every proxy), a
 * failure counter on each proxy with a {@code ban:} block, and the admin API under {@code /api/bans}.
 */
public final class BanFeature implements ProxyFeature {

  static final String FAILURES_MAP = "harp.ban.failures";
  /** Failure counters kept per member; beyond it the least recently used are evicted (and counted). */
  static final int MAX_COUNTERS = 1_000_000;

  private record Parts(BanStore store, BanMetrics metrics, IMap<String, long[]> failures) {
  }

  @Override
  public int order() {
    return ORDER_BAN;
  }

  @Override
  public Future<Void> start(NodeContext node) {
    HazelcastInstance hazelcast = node.hazelcast();
    return node.vertx().executeBlocking(() -> {
      try {
        hazelcast.getConfig().addMapConfig(new MapConfig(FAILURES_MAP).setBackupCount(1)
            .setStatisticsEnabled(false)
            .setEvictionConfig(new EvictionConfig().setEvictionPolicy(EvictionPolicy.LRU)
                .setMaxSizePolicy(MaxSizePolicy.PER_NODE).setSize(MAX_COUNTERS)));
      } catch (RuntimeException e) {
        // Already configured by another member (with other settings only across versions): keep theirs.
      }
      BanStore store = new BanStore(hazelcast);
      BanMetrics metrics = new BanMetrics(node.metrics(), store::size);
      IMap<String, long[]> failures = hazelcast.getMap(FAILURES_MAP);
      var evicted = metrics.evictions();
      // Each member counts evictions of the counters it owns: the cluster's total is the sum.
      failures.addLocalEntryListener((EntryEvictedListener<String, long[]>) e -> evicted.increment());
      return new Parts(store, metrics, failures);
    }).map(parts -> {
      BanStore store = parts.store();
      BanMetrics metrics = parts.metrics();
      IMap<String, long[]> failures = parts.failures();
      BanService bans = new BanService(node.vertx(), node.nodeName(), store, metrics);
      Map<String, BanSettings> settings = new LinkedHashMap<>();
      for (ProxyRuntime runtime : node.proxies().values()) {
        BanSettings s = runtime.config().<BanSettings>feature(BanReader.KEY).orElse(null);
        settings.put(runtime.name(), s);
        ClientAddresses clients = ClientAddresses.of(runtime.config());
        runtime.addInterceptor("ban", new BanInterceptor(runtime.name(), store, clients, s == null ? 403 : s.status(),
            s != null, metrics));
        if (s != null) {
          runtime.addListener(new FailureCounter(runtime.name(), s, clients.settings().trustedProxies(), failures,
              bans, metrics));
        }
      }
      new BanAdmin(bans, settings).mount(node.adminRouter());
      return null;
    });
  }
}
