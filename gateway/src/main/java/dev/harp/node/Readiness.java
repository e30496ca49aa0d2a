package dev.harp.node;

import dev.harp.cluster.vip.VipRole;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Whether this node may receive traffic and hold the virtual IP: every proxy listens, the node has joined its
 * cluster, it is not draining, and it has seen every partition safe (backups in sync) since it joined.
 *
 * <p>Partition safety gates readiness once, at start: a restarted node is ready only when its migrations are done,
 * so a rolling upgrade never stops the next node while data is not yet redundant. After that a peer's trouble does
 * not make this node unready: {@code isClusterSafe()} waits on every member, so a single frozen or dying member
 * would otherwise turn every node unready at once and keepalived would drop the VIP everywhere (seen in the lab).
 * The report still shows the last safety result ({@code clusterSafe}) and {@code settled}; a check never waits on
 * another member for longer than {@link #SAFETY_WAIT}.
 */
public final class Readiness {

  /** Longest a readiness check waits for the partition-safety answer before calling it unsafe. */
  static final Duration SAFETY_WAIT = Duration.ofSeconds(1);

  /** What readiness needs from the cluster: the local member count and a bounded partition-safety check. */
  record ClusterHealth(IntSupplier memberCount, Supplier<Future<Boolean>> safe) {
  }

  private volatile boolean proxiesListening;
  private volatile boolean draining;
  private volatile ClusterHealth cluster;
  private volatile VipRole vip;
  private volatile boolean settled;
  private volatile Boolean lastSafe;

  void proxiesListening(boolean listening) {
    this.proxiesListening = listening;
  }

  void cluster(ClusterHealth cluster) {
    this.cluster = cluster;
  }

  void vip(VipRole vip) {
    this.vip = vip;
  }

  void draining(boolean draining) {
    this.draining = draining;
  }

  public boolean isDraining() {
    return draining;
  }

  public Future<JsonObject> check() {
    ClusterHealth health = cluster;
    JsonObject report = new JsonObject()
        .put("proxiesListening", proxiesListening)
        .put("draining", draining);
    VipRole role = vip;
    if (role != null) {
      // Informational (keepalived's check script re-syncs a restarted node from it); never part of "ready".
      report.put("vip", role.status().state().name());
    }
    if (health == null) {
      return Future.succeededFuture(report.put("joined", false).put("clusterSafe", false).put("settled", false)
          .put("ready", false));
    }
    int members = health.memberCount().getAsInt();
    boolean serving = members > 0 && proxiesListening && !draining;
    report.put("joined", members > 0).put("members", members);
    Future<Boolean> safe = health.safe().get().onSuccess(s -> lastSafe = s);
    if (settled) {
      // Answer at once; the (shared, bounded) check only refreshes what the next report shows.
      return Future.succeededFuture(report.put("clusterSafe", lastSafe).put("settled", true).put("ready", serving));
    }
    return safe.map(s -> {
      if (s && members > 0) {
        settled = true;
      }
      return report.put("clusterSafe", s).put("settled", settled).put("ready", serving && s);
    });
  }
}
