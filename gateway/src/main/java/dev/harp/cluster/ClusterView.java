package dev.harp.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;

/**
 * HARP's window on its Hazelcast member: membership and partition safety. Calls that may block run on a worker
 * thread and complete on the caller's context, never on an event loop.
 */
public final class ClusterView {

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private Future<Boolean> safetyCheck;

  public ClusterView(Vertx vertx, HazelcastInstance hazelcast) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
  }

  public HazelcastInstance hazelcast() {
    return hazelcast;
  }

  /** Member count from the local membership view (no remote call, safe anywhere). */
  public int memberCount() {
    return hazelcast.getLifecycleService().isRunning() ? hazelcast.getCluster().getMembers().size() : 0;
  }

  public List<String> members() {
    if (!hazelcast.getLifecycleService().isRunning()) {
      return List.of();
    }
    return hazelcast.getCluster().getMembers().stream().map(Member::getAddress).map(Object::toString).toList();
  }

  public String localMember() {
    return hazelcast.getCluster().getLocalMember().getAddress().toString();
  }

  /**
   * Joined and every partition has its backups in sync. {@code isClusterSafe()} talks to other members, so it runs
   * on a worker.
   */
  public Future<Boolean> isSafe() {
    return vertx.executeBlocking(() -> hazelcast.getLifecycleService().isRunning()
        && hazelcast.getPartitionService().isClusterSafe(), false);
  }

  /**
   * {@link #isSafe()} for callers that must not wait on a member that does not answer (a frozen member makes
   * {@code isClusterSafe()} block for about 10 s): answers {@code false} after {@code wait}. At most one check runs
   * at a time; concurrent callers share it, so a stuck check never piles up worker threads.
   */
  public Future<Boolean> isSafe(Duration wait) {
    Future<Boolean> shared;
    synchronized (this) {
      if (safetyCheck == null || safetyCheck.isComplete()) {
        safetyCheck = isSafe();
      }
      shared = safetyCheck;
    }
    Promise<Boolean> answer = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, wait.toMillis()), id -> answer.tryComplete(false));
    shared.onComplete(ar -> {
      vertx.cancelTimer(timer);
      answer.tryComplete(ar.succeeded() && ar.result());
    });
    return answer.future();
  }
}
