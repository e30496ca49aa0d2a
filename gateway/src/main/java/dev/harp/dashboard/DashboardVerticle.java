package dev.harp.dashboard;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The dashboard's server side on one event loop of its own: the heartbeat and store-expiry timers, the directory of
 * nodes, this node's query responder and the browser-facing request/reply addresses. Everything it touches that is
 * not thread-safe (the directory) is confined to this loop.
 */
final class DashboardVerticle extends VerticleBase {

  private static final long EXPIRE_MS = 1_000;

  private final String node;
  private final HazelcastInstance hazelcast;
  private final NodeHeartbeat heartbeat;
  private final TransactionStore store;
  private final NodeQueries nodeQueries;
  private final NodeDirectory directory = new NodeDirectory();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private UUID membershipListener;
  private long beatTimer;
  private long expireTimer;

  DashboardVerticle(String node, HazelcastInstance hazelcast, NodeHeartbeat heartbeat, TransactionStore store,
                    NodeQueries nodeQueries) {
    this.node = node;
    this.hazelcast = hazelcast;
    this.heartbeat = heartbeat;
    this.store = store;
    this.nodeQueries = nodeQueries;
  }

  @Override
  public Future<?> start() {
    EventBus bus = vertx.eventBus();
    ClusterQueries cluster = new ClusterQueries(vertx, node, directory);
    consumers.add(bus.<JsonObject>consumer(DashboardAddresses.NODES,
        m -> directory.heartbeat(m.body(), System.currentTimeMillis())));
    consumers.add(bus.<JsonObject>consumer(DashboardAddresses.MEMBERS, m -> {
      if ("removed".equals(m.body().getString("event"))) {
        directory.memberRemoved(m.body().getString("memberUuid"));
      }
    }));
    consumers.add(bus.<JsonObject>consumer(DashboardAddresses.VIP, m -> directory.vip(m.body())));
    consumers.add(bus.consumer(DashboardAddresses.nodeQueries(node), nodeQueries::handle));
    // Local consumers: a browser's request is answered by the node whose bridge it came through (a clustered send
    // finds no remote registration and delivers locally), not by whichever node the bus would round-robin to.
    consumers.add(bus.localConsumer(DashboardAddresses.SEARCH, cluster::search));
    consumers.add(bus.localConsumer(DashboardAddresses.DETAIL, cluster::detail));
    consumers.add(bus.localConsumer(DashboardAddresses.CONFIG, cluster::config));
    consumers.add(bus.localConsumer(DashboardAddresses.SNAPSHOT, cluster::snapshot));
    membershipListener = hazelcast.getCluster().addMembershipListener(new Membership(bus, node));
    heartbeat.beat(bus);
    beatTimer = vertx.setPeriodic(NodeHeartbeat.PERIOD_MS, id -> heartbeat.beat(bus));
    expireTimer = vertx.setPeriodic(EXPIRE_MS, id -> store.expire());
    // Registrations propagate through the cluster asynchronously: ready once they are all in place.
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(beatTimer);
    vertx.cancelTimer(expireTimer);
    if (hazelcast.getLifecycleService().isRunning() && membershipListener != null) {
      hazelcast.getCluster().removeMembershipListener(membershipListener);
    }
    heartbeat.gone(vertx.eventBus());
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList());
  }

  /**
   * Hazelcast's view of who left: a crashed node stops heartbeating, but a node that leaves is dropped by Hazelcast
   * at once, and this tells browsers without waiting for the heartbeat timeout. Runs on a Hazelcast thread; the
   * event bus may be used from any thread.
   */
  private record Membership(EventBus bus, String by) implements MembershipListener {

    @Override
    public void memberAdded(MembershipEvent e) {
      publish("added", e);
    }

    @Override
    public void memberRemoved(MembershipEvent e) {
      publish("removed", e);
    }

    private void publish(String event, MembershipEvent e) {
      bus.publish(DashboardAddresses.MEMBERS, new JsonObject().put("event", event)
          .put("memberUuid", e.getMember().getUuid().toString())
          .put("address", e.getMember().getAddress().toString()).put("by", by)
          .put("ts", System.currentTimeMillis()));
    }
  }
}
