package dev.harp.dashboard;

import com.hazelcast.core.HazelcastInstance;
import dev.harp.node.Readiness;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Builds and publishes this node's heartbeat on {@link DashboardAddresses#NODES}. Every {@link #PERIOD_MS} ms, so
 * that a browser can turn a silent node red within 2 s ({@link #GONE_AFTER_MS} without one) without false alarms from
 * one late message. Readiness asks Hazelcast whether partitions are safe on a worker thread; the heartbeat uses the
 * last answer and never waits for it.
 */
final class NodeHeartbeat {

  static final long PERIOD_MS = 500;
  /** What the page uses: three heartbeats missed. */
  static final long GONE_AFTER_MS = 1_500;

  private final String node;
  private final String version;
  private final String adminAddress;
  private final HazelcastInstance hazelcast;
  private final Readiness readiness;
  private final LoopLagProbe lag;
  private final TransactionStore store;
  private final LongSupplier sampledOutTotal;
  private final List<String> proxies;
  private final String configDigest;
  private final FeatureCounters features;
  private final long startedAt = System.currentTimeMillis();
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private volatile String state = "joining";
  private boolean checking;

  NodeHeartbeat(String node, String adminAddress, HazelcastInstance hazelcast, Readiness readiness,
                LoopLagProbe lag, TransactionStore store, LongSupplier sampledOutTotal, List<String> proxies,
                String configDigest, FeatureCounters features) {
    this.features = features;
    this.node = node;
    this.adminAddress = adminAddress;
    this.hazelcast = hazelcast;
    this.readiness = readiness;
    this.lag = lag;
    this.store = store;
    this.sampledOutTotal = sampledOutTotal;
    this.proxies = proxies;
    this.configDigest = configDigest;
    String v = NodeHeartbeat.class.getPackage().getImplementationVersion();
    this.version = v == null ? "dev" : v;
  }

  /** Called on the dashboard's loop every period. */
  void beat(EventBus bus) {
    refreshState();
    lag.probe();
    bus.publish(DashboardAddresses.NODES, build(state));
  }

  /** The last word of a stopping node: browsers turn it red at once instead of waiting for silence. */
  void gone(EventBus bus) {
    bus.publish(DashboardAddresses.NODES, build("gone"));
  }

  private void refreshState() {
    if (checking) {
      return;
    }
    checking = true;
    readiness.check().onComplete(ar -> {
      checking = false;
      if (readiness.isDraining()) {
        state = "draining";
      } else if (ar.succeeded()) {
        state = ar.result().getBoolean("ready", false) ? "ready" : "joining";
      }
    });
  }

  JsonObject build(String currentState) {
    long now = System.currentTimeMillis();
    MemoryUsage heap = memory.getHeapMemoryUsage();
    boolean running = hazelcast.getLifecycleService().isRunning();
    JsonObject hb = new JsonObject()
        .put("node", node)
        .put("ts", now)
        .put("state", currentState)
        .put("startedAt", startedAt)
        .put("uptimeMs", now - startedAt)
        .put("version", version)
        .put("admin", adminAddress)
        .put("heap", new JsonObject().put("usedBytes", heap.getUsed()).put("maxBytes", heap.getMax()))
        .put("loopLagMs", lag.takeWorstMs())
        .put("proxies", new JsonArray(proxies))
        .put("configDigest", configDigest)
        .put("features", features.read())
        .put("store", new JsonObject()
            .put("size", store.size())
            .put("maxCount", store.maxCount())
            .put("maxAgeMs", store.maxAgeMs())
            .put("evictedByCount", store.evictedByCount())
            .put("expiredByAge", store.expiredByAge())
            .put("sampledOut", sampledOutTotal.getAsLong()));
    if (running) {
      hb.put("member", hazelcast.getCluster().getLocalMember().getAddress().toString())
          .put("memberUuid", hazelcast.getCluster().getLocalMember().getUuid().toString())
          .put("members", hazelcast.getCluster().getMembers().size());
    }
    return hb;
  }
}
