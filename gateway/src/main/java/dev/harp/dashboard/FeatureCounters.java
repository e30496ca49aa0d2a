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

  /** A counter, optionally narrowed to one tag value, reported under {@code key}. */
  record Meter(String key, String name, String tag, String value) {
  }

  static final List<Meter> METERS = List.of(
      new Meter("harp_cache_hits", "harp_cache_hits", null, null),
      new Meter("harp_cache_misses", "harp_cache_misses", null, null),
      new Meter("harp_ratelimit_limited", "harp_ratelimit_decisions", "outcome", "limited"),
      new Meter("harp_bans_rejected", "harp_bans_rejected", null, null));

  private final MeterRegistry registry;

  FeatureCounters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** {@code {meter: {proxy: count}}}; a handful of map lookups in the registry, twice a second. */
  JsonObject read() {
    JsonObject out = new JsonObject();
    for (Meter m : METERS) {
      JsonObject byProxy = new JsonObject();
      var search = m.tag() == null ? registry.find(m.name()) : registry.find(m.name()).tag(m.tag(), m.value());
      for (Counter c : search.counters()) {
        String proxy = c.getId().getTag("proxy");
        byProxy.put(proxy == null ? "" : proxy, (long) c.count() + byProxy.getLong(proxy == null ? "" : proxy, 0L));
      }
      if (!byProxy.isEmpty()) {
        out.put(m.key(), byProxy);
      }
    }
    return out;
  }
}
