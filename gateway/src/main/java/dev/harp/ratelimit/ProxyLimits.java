package dev.harp.ratelimit;

import dev.harp.cluster.WallClock;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.harp.engine.ProxyRuntime;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * One proxy's rate limiting: its cluster map ({@code harp.ratelimit.<proxy>}), a limiter per policy, the local-mode
 * syncs and sweeps, and the interceptor that uses them.
 */
final class ProxyLimits {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyLimits.class);
  static final String MAP_PREFIX = "harp.ratelimit.";
  private static final long SWEEP_MILLIS = 5_000;

  private final ProxyRuntime runtime;
  private final RateLimitSettings settings;
  private final RateLimitMetrics metrics;
  private final IMap<String, KeyBucket> map;
  private final List<PolicyRuntime> routes = new ArrayList<>();
  private PolicyRuntime proxyWide;
  private final List<LocalLimiter> localTables = new ArrayList<>();
  private final List<LocalSync> syncs = new ArrayList<>();
  private final List<Long> syncIntervals = new ArrayList<>();
  private final List<Long> timers = new ArrayList<>();
  /** The entry the warm-up decision goes to: no bucket has this name (theirs are {@code <policy id>#<n>}). */
  private static final String WARM_UP_KEY = "\u0000warm-up";
  private boolean warmedUp;

  /** Runs on a worker: configuring the map and registering a listener talk to the cluster. */
  ProxyLimits(HazelcastInstance hazelcast, ProxyRuntime runtime, RateLimitSettings settings, RateLimitMetrics metrics) {
    this.runtime = runtime;
    this.settings = settings;
    this.metrics = metrics;
    String name = MAP_PREFIX + runtime.name();
    configureMap(hazelcast, name);
    this.map = hazelcast.getMap(name);
    var clusterEvictions = metrics.evictions("cluster");
    int capacity = Buckets.capacity(settings.maxKeys());
    UUID uuid = hazelcast.getCluster().getLocalMember().getUuid();
    long member = uuid.getMostSignificantBits() ^ uuid.getLeastSignificantBits();
    IntSupplier members = () -> memberCount(hazelcast);
    var localEvictions = metrics.evictions("local");
    for (Policy policy : settings.policies()) {
      Rates rates = Rates.of(policy.limits());
      PolicyMeters meters = new PolicyMeters(metrics, policy);
      Limiter limiter;
      if (policy.mode() == Mode.LOCAL) {
        LocalLimiter local = new LocalLimiter(rates, Decision.Source.LOCAL, settings.maxKeys(), localEvictions, true);
        localTables.add(local);
        syncs.add(new LocalSync(map, policy.id(), local, capacity, member, policy.syncInterval().toNanos(), members,
            metrics, clusterEvictions));
        syncIntervals.add(policy.syncInterval().toMillis());
        limiter = (key, then) -> then.accept(local.decide(key, WallClock.nanos(), Double.NaN));
      } else {
        warmUp(name, rates, capacity);
        LocalLimiter fallback = new LocalLimiter(rates, Decision.Source.FALLBACK, settings.maxKeys(), localEvictions,
            false);
        localTables.add(fallback);
        limiter = new ClusterLimiter(map, runtime.name(), policy, rates, capacity, fallback, members, meters,
            clusterEvictions);
      }
      PolicyRuntime p = new PolicyRuntime(policy, rates, limiter, meters);
      if (policy.route() != null) {
        routes.add(p);
      } else {
        proxyWide = p;
      }
    }
    metrics.localKeys(() -> localTables.stream().mapToInt(LocalLimiter::size).sum());
  }

  /**
   * OBJECT format: the owner updates a bucket in place, with no serialization per call; one synchronous backup, fed
   * with deltas. No map-level eviction: a bucket bounds its own keys (maxKeys) and counts what it evicts.
   */
  private static void configureMap(HazelcastInstance hazelcast, String name) {
    MapConfig config = new MapConfig(name)
        .setBackupCount(1)
        .setAsyncBackupCount(0)
        .setInMemoryFormat(InMemoryFormat.OBJECT)
        .setStatisticsEnabled(false);
    try {
      hazelcast.getConfig().addMapConfig(config);
    } catch (RuntimeException e) {
      // Another member registered this map with other settings (a rolling config change): the first one stands.
      LOG.warn("rate-limit map {} keeps the settings another member gave it: {}", name, e.getMessage());
    }
  }

  /**
   * One empty decision before the first request (on this worker, so it may wait): a fresh member assigns its
   * partitions and loads the processor's classes on its first partition operation, which outlasted the 5 ms default
   * {@code clusterTimeout}, so a new node began in fallback: a warning, and its first requests counted locally from
   * zero (a CI run admitted a third request against a limit of two that way). It writes nothing: no key, no change.
   */
  private void warmUp(String name, Rates rates, int capacity) {
    if (warmedUp) {
      return;
    }
    warmedUp = true;
    try {
      map.submitToKey(WARM_UP_KEY, new DecideProcessor(rates, capacity, Map.of())).toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn("rate-limit map {}: the warm-up decision failed ({}); the first requests may be decided locally",
          name, e.toString());
    }
  }

  private static int memberCount(HazelcastInstance hazelcast) {
    try {
      return hazelcast.getCluster().getMembers().size();
    } catch (RuntimeException e) {
      return 1;
    }
  }

  /** Starts the sync and sweep timers on one context of their own; gives the proxy's filter. */
  RateLimitFilter start(Vertx vertx) {
    if (settings.policies().stream().anyMatch(p -> p.route() != null || p.by().contains(new KeyPart.Path()))) {
      runtime.matchPaths(); // route prefixes and by: path read the canonical path, as every feature's rules do
    }
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      for (int i = 0; i < syncs.size(); i++) {
        LocalSync sync = syncs.get(i);
        timers.add(vertx.setPeriodic(syncIntervals.get(i), id -> sync.round(context)));
      }
      timers.add(vertx.setPeriodic(SWEEP_MILLIS, id -> sweep()));
    });
    return new RateLimitFilter(routes, proxyWide, () -> stop(vertx));
  }

  private void sweep() {
    long now = WallClock.nanos();
    for (LocalLimiter table : localTables) {
      table.sweep(now, SWEEP_MILLIS * 1_000_000);
    }
  }

  void stop(Vertx vertx) {
    timers.forEach(vertx::cancelTimer);
  }

  ProxyRuntime runtime() {
    return runtime;
  }
}
