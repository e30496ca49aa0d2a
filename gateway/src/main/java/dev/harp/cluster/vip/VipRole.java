package dev.harp.cluster.vip;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * Whether this node holds the virtual IP. keepalived's notify script reports each transition to the admin API; a
 * change is kept here (for {@code GET /api/cluster/vip} and {@code /health/ready}) and published on the clustered
 * event bus at {@link #ADDRESS}, so a dashboard on any node can show the holder.
 */
public final class VipRole {

  /** Event-bus address of VIP role changes: {@code {node, state, previous, since}}. */
  public static final String ADDRESS = "harp.cluster.vip";

  private static final Logger LOG = LoggerFactory.getLogger(VipRole.class);

  /** One observation: the state and when this node entered it. */
  public record Status(VipState state, Instant since) {
  }

  private final Vertx vertx;
  private final String node;
  private volatile Status status = new Status(VipState.UNKNOWN, Instant.now());

  public VipRole(Vertx vertx, String node) {
    this.vertx = vertx;
    this.node = node;
  }

  public Status status() {
    return status;
  }

  /**
   * Records a reported state. A repeated report of the current state (the check script re-syncs a restarted node)
   * keeps {@code since} and publishes nothing.
   *
   * @return whether the state changed
   */
  public synchronized boolean report(VipState state) {
    Status previous = status;
    if (previous.state() == state) {
      return false;
    }
    status = new Status(state, Instant.now());
    LOG.info("node {} VIP role {} -> {}", node, previous.state(), state);
    vertx.eventBus().publish(ADDRESS, toJson().put("previous", previous.state().name()));
    return true;
  }

  public JsonObject toJson() {
    Status current = status;
    return new JsonObject().put("node", node).put("state", current.state().name())
        .put("since", current.since().toEpochMilli());
  }
}
