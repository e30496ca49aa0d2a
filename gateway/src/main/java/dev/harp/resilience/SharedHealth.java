package dev.harp.resilience;

import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every node's view of the active health verdicts: applies the prober's results from {@code harp.health}, and at
 * start reads the map {@code harp.resilience.health} for endpoints probed before this node came up.
 */
final class SharedHealth {

  static final String MAP = "harp.resilience.health";

  private final Context context;
  private final IMap<String, HealthRecord> map;
  /** The guards of proxies with a {@code health:} block, by key; added to as proxies start. */
  private final Map<String, EndpointGuard> guards = new ConcurrentHashMap<>();

  SharedHealth(Context context, IMap<String, HealthRecord> map) {
    this.context = context;
    this.map = map;
  }

  /** Follows the verdicts on these guards (of a proxy with a {@code health:} block) from now on. */
  void add(Collection<EndpointGuard> probed) {
    probed.forEach(g -> guards.put(g.key(), g));
  }

  void onMessage(JsonObject message) {
    EndpointGuard guard = guards.get(EndpointGuard.key(message.getString("proxy"), message.getString("endpoint")));
    JsonObject record = message.getJsonObject("record");
    if (guard != null && record != null) {
      guard.health(HealthRecord.fromJson(record));
    }
  }

  /** At a proxy's start: the verdicts on its endpoints made before. */
  Future<Void> load(Collection<EndpointGuard> probed) {
    List<Future<?>> reads = new ArrayList<>();
    for (EndpointGuard guard : probed) {
      reads.add(Hz.async(context, () -> map.getAsync(guard.key())).onSuccess(r -> {
        if (r != null) {
          guard.health(r);
        }
      }));
    }
    return Future.all(reads).mapEmpty();
  }
}
