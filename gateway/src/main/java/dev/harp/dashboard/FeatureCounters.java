package dev.harp.dashboard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Features' own counters, read from this node's meter registry for the heartbeat, so the Traffic view's feature cards
 * light up without each feature publishing events of its own: cumulative values by proxy, which the page turns into
 * rates. A feature that lands adds its counter names here; a name with no meter yet is simply left out.
 */
final class FeatureCounters {

  static final List<String> METERS = List.of("harp_cache_hits", "harp_cache_misses");

  private final MeterRegistry registry;

  FeatureCounters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** {@code {meter: {proxy: count}}}; a handful of map lookups in the registry, twice a second. */
  JsonObject read() {
    JsonObject out = new JsonObject();
    for (String name : METERS) {
      JsonObject byProxy = new JsonObject();
      for (Counter c : registry.find(name).counters()) {
        String proxy = c.getId().getTag("proxy");
        byProxy.put(proxy == null ? "" : proxy, (long) c.count() + byProxy.getLong(proxy == null ? "" : proxy, 0L));
      }
      if (!byProxy.isEmpty()) {
        out.put(name, byProxy);
      }
    }
    return out;
  }
}
