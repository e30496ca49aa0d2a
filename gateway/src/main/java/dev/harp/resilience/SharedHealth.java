package dev.harp.resilience;

import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every node's view of the active health verdicts: applies the prober's results from {@code harp.health}, and at
 * start reads the map {@code harp.resilience.health} for endpoints probed before this node came up.
 */
final class SharedHealth {

  static final String MAP = "harp.resilience.health";

  private final Context context;
  private final IMap<String, HealthRecord> map;
  private final Map<String, EndpointGuard> guards;

  /** @param guards the guards of proxies with a {@code health:} block, by key */
  SharedHealth(Context context, IMap<String, HealthRecord> map, Map<String, EndpointGuard> guards) {
    this.context = context;
    this.map = map;
    this.guards = guards;
  }

  void onMessage(JsonObject message) {
    EndpointGuard guard = guards.get(EndpointGuard.key(message.getString("proxy"), message.getString("endpoint")));
    JsonObject record = message.getJsonObject("record");
    if (guard != null && record != null) {
      guard.health(HealthRecord.fromJson(record));
    }
  }

  Future<Void> load() {
    List<Future<?>> reads = new ArrayList<>();
    for (EndpointGuard guard : guards.values()) {
      reads.add(Hz.async(context, () -> map.getAsync(guard.key())).onSuccess(r -> {
        if (r != null) {
          guard.health(r);
        }
      }));
    }
    return Future.all(reads).mapEmpty();
  }
}
