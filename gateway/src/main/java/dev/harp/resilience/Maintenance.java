package dev.harp.resilience;

import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maintenance overrides, cluster-wide: the admin API on any node stores the override in the map
 * {@code harp.resilience.maintenance} and announces it on {@code harp.maintenance}; every node (that one included)
 * applies the announcement. A node that starts later reads the map.
 */
final class Maintenance {

  static final String MAP = "harp.resilience.maintenance";

  private final Context context;
  private final String node;
  private final IMap<String, OverrideRecord> map;
  private final ResilienceEvents events;
  /** Every guarded endpoint by key; added to as proxies start. */
  private final Map<String, EndpointGuard> guards = new ConcurrentHashMap<>();

  Maintenance(Context context, String node, IMap<String, OverrideRecord> map, ResilienceEvents events) {
    this.context = context;
    this.node = node;
    this.map = map;
    this.events = events;
  }

  /** Applies overrides of these guards from now on. */
  void add(Collection<EndpointGuard> more) {
    more.forEach(g -> guards.put(g.key(), g));
  }

  /** Forces {@code guard}'s endpoint up or down on every node; completes once stored and announced. */
  Future<OverrideRecord> set(EndpointGuard guard, String state, String reason) {
    OverrideRecord record = new OverrideRecord(state, node, reason, System.currentTimeMillis());
    return Hz.async(callerContext(), () -> map.setAsync(guard.key(), record)).map(v -> {
      events.maintenance(guard, record);
      return record;
    });
  }

  /** Back to automatic (health, ejection, breaker decide) on every node. */
  Future<OverrideRecord> clear(EndpointGuard guard) {
    OverrideRecord record = new OverrideRecord("auto", node, null, System.currentTimeMillis());
    return Hz.async(callerContext(), () -> map.removeAsync(guard.key())).map(v -> {
      events.maintenance(guard, record);
      return record;
    });
  }

  private Context callerContext() {
    Context current = Vertx.currentContext();
    return current != null ? current : context;
  }

  void onMessage(JsonObject message) {
    EndpointGuard guard = guards.get(EndpointGuard.key(message.getString("proxy"), message.getString("endpoint")));
    if (guard == null) {
      return;
    }
    long at = message.getLong("at", 0L);
    String state = message.getString("state");
    guard.override("auto".equals(state) ? null
        : new OverrideRecord(state, message.getString("by"), message.getString("reason"), at), at);
  }

  /** At a proxy's start: the overrides of its endpoints already stored. */
  Future<Void> load(Collection<EndpointGuard> more) {
    List<Future<?>> reads = new ArrayList<>();
    for (EndpointGuard guard : more) {
      reads.add(Hz.async(context, () -> map.getAsync(guard.key())).onSuccess(r -> {
        if (r != null) {
          guard.override(r, r.at());
        }
      }));
    }
    return Future.all(reads).mapEmpty();
  }
}
