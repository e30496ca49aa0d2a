package dev.harp.resilience;

import com.hazelcast.map.IMap;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes circuit breakers cluster-wide. A breaker that changes state on this node publishes the change on
 * {@code harp.breakers} (every node hears it within milliseconds) and records it in the map
 * {@code harp.resilience.breakers} (a node that starts later reads it). A node hearing that a peer opened a circuit
 * opens its own, so failures seen on one node protect them all; a peer's successful trial closes it everywhere. Each
 * node half-opens on its own timer and makes its own trial; a trial that fails re-opens the circuit everywhere.
 */
final class SharedBreakers implements EndpointBreaker.Transitions {

  static final String MAP = "harp.resilience.breakers";
  private static final Logger LOG = LoggerFactory.getLogger(SharedBreakers.class);

  private record Owner(EndpointGuard guard, boolean shared) {
  }

  private final Context context;
  private final String node;
  private final IMap<String, BreakerRecord> map;
  private final ResilienceEvents events;
  private final ResilienceMetrics metrics;
  private final Map<EndpointBreaker, Owner> owners = new ConcurrentHashMap<>();
  private final Map<String, Owner> byKey = new ConcurrentHashMap<>();

  SharedBreakers(Context context, String node, IMap<String, BreakerRecord> map, ResilienceEvents events,
                 ResilienceMetrics metrics) {
    this.context = context;
    this.node = node;
    this.map = map;
    this.events = events;
    this.metrics = metrics;
  }

  void register(EndpointGuard guard, boolean shared) {
    Owner owner = new Owner(guard, shared);
    owners.put(guard.breaker(), owner);
    byKey.put(guard.key(), owner);
  }

  /** Called inside the breaker's lock on a request's event loop: note the time, act on our own context. */
  @Override
  public void changed(EndpointBreaker breaker, CircuitBreakerState state) {
    long at = System.currentTimeMillis();
    context.runOnContext(v -> localChange(breaker, state, at));
  }

  private void localChange(EndpointBreaker breaker, CircuitBreakerState state, long at) {
    Owner owner = owners.get(breaker);
    if (owner == null) {
      return;
    }
    EndpointGuard guard = owner.guard();
    BreakerRecord change = new BreakerRecord(ResilienceEvents.stateName(state), node, at,
        state == CircuitBreakerState.OPEN ? at + breaker.resetTimeoutMillis() : 0);
    metrics.breakerTransition(guard, state);
    events.breaker(guard, change, owner.shared());
    if (owner.shared()) {
      Hz.async(context, () -> map.submitToKey(guard.key(), new ClusterUpdates.Breaker(change)))
          .onFailure(err -> LOG.warn("could not record circuit state of {}: {}", guard.key(), err.toString()));
    }
  }

  /** A message on {@code harp.breakers}; this node's own are already applied. */
  void onMessage(JsonObject message) {
    if (node.equals(message.getString("node")) || !message.getBoolean("shared", false)) {
      return;
    }
    Owner owner = byKey.get(EndpointGuard.key(message.getString("proxy"), message.getString("endpoint")));
    if (owner == null || !owner.shared()) {
      return;
    }
    switch (message.getString("state", "")) {
      case "open" -> owner.guard().breaker().openFromPeer();
      case "closed" -> owner.guard().breaker().closeFromPeer();
      default -> {
        // half-open is per node: each node makes its own trial
      }
    }
  }

  /** At a proxy's start: circuits of these guards that a peer opened and are still open. */
  Future<Void> load(Collection<EndpointGuard> guards) {
    List<Future<?>> reads = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (EndpointGuard guard : guards) {
      Owner owner = byKey.get(guard.key());
      if (owner == null || !owner.shared()) {
        continue;
      }
      reads.add(Hz.async(context, () -> map.getAsync(owner.guard().key())).onSuccess(r -> {
        if (r != null && "open".equals(r.state()) && r.openUntil() > now) {
          owner.guard().breaker().openFromPeer();
        }
      }));
    }
    return Future.all(reads).mapEmpty();
  }
}
