package dev.harp.node;

import dev.harp.cluster.ClusterView;
import dev.harp.cluster.vip.VipRole;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Whether this node should receive traffic: every proxy listens, the node has joined its cluster, every partition
 * is safe (backups in sync), and it is not draining. keepalived's check script and load balancers read this.
 */
public final class Readiness {

  private volatile boolean proxiesListening;
  private volatile boolean draining;
  private volatile ClusterView cluster;
  private volatile VipRole vip;

  void proxiesListening(boolean listening) {
    this.proxiesListening = listening;
  }

  void cluster(ClusterView cluster) {
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
    ClusterView view = cluster;
    JsonObject report = new JsonObject()
        .put("proxiesListening", proxiesListening)
        .put("draining", draining);
    VipRole role = vip;
    if (role != null) {
      // Informational (keepalived's check script re-syncs a restarted node from it); never part of "ready".
      report.put("vip", role.status().state().name());
    }
    if (view == null) {
      return Future.succeededFuture(report.put("joined", false).put("clusterSafe", false).put("ready", false));
    }
    int members = view.memberCount();
    report.put("joined", members > 0).put("members", members);
    return view.isSafe().map(safe -> report.put("clusterSafe", safe)
        .put("ready", safe && members > 0 && proxiesListening && !draining));
  }
}
