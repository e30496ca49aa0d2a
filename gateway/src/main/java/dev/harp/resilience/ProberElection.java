package dev.harp.resilience;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import io.vertx.core.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Iterator;
import java.util.UUID;

/**
 * Elects the one node that probes: the oldest Hazelcast member. Every member computes it from its own membership
 * view, which Hazelcast keeps ordered by join time, so no state or lock is needed; and when the prober leaves or
 * dies, the next-oldest member starts as soon as Hazelcast removes the dead one (at once for a node that stops; for
 * a crash, when Hazelcast's failure detection notices the closed connections). While views differ for an instant
 * two nodes may both probe; that only makes a probe count twice.
 */
final class ProberElection {

  private static final Logger LOG = LoggerFactory.getLogger(ProberElection.class);

  private final Context context;
  private final HazelcastInstance hazelcast;
  private final Runnable elected;
  private final Runnable deposed;
  private UUID listener;
  private UUID lifecycleListener;
  /** Written on the election's context, read by the admin API. */
  private volatile boolean probing;
  private boolean stopped;

  ProberElection(Context context, HazelcastInstance hazelcast, Runnable elected, Runnable deposed) {
    this.context = context;
    this.hazelcast = hazelcast;
    this.elected = elected;
    this.deposed = deposed;
  }

  /** On the given context. */
  void start() {
    listener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        context.runOnContext(v -> evaluate());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        context.runOnContext(v -> evaluate());
      }
    });
    // A node whose member is going (or gone) must stop at once: its results could not be stored, and the others
    // elect a new prober as soon as they see it leave.
    lifecycleListener = hazelcast.getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() != LifecycleEvent.LifecycleState.STARTED) {
        context.runOnContext(v -> evaluate());
      }
    });
    evaluate();
  }

  void stop() {
    stopped = true;
    if (listener != null) {
      try {
        hazelcast.getCluster().removeMembershipListener(listener);
        hazelcast.getLifecycleService().removeLifecycleListener(lifecycleListener);
      } catch (RuntimeException e) {
        // the member is already shutting down
      }
    }
    if (probing) {
      probing = false;
      deposed.run();
    }
  }

  boolean probing() {
    return probing;
  }

  private void evaluate() {
    if (stopped) {
      return;
    }
    boolean oldest;
    try {
      Iterator<Member> members = hazelcast.getCluster().getMembers().iterator();
      oldest = hazelcast.getLifecycleService().isRunning() && members.hasNext() && members.next().localMember();
    } catch (RuntimeException e) {
      oldest = false; // not running any more
    }
    if (oldest != probing) {
      probing = oldest;
      LOG.info("prober election: this node {} the prober", oldest ? "is now" : "is no longer");
      if (oldest) {
        elected.run();
      } else {
        deposed.run();
      }
    }
  }
}
