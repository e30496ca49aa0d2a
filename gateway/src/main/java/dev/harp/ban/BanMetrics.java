package dev.harp.ban;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Ban meters: refusals, bans made and lifted by this node, failures counted, and every count that went wrong. */
final class BanMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  BanMetrics(MeterRegistry registry, Supplier<Number> active) {
    this.registry = registry;
    Gauge.builder("harp_bans_active", active).description("Bans in force, as this node's copy sees them")
        .register(registry);
  }

  void rejected(String proxy) {
    counter("harp_bans_rejected", "Requests refused because the client is banned", "proxy", proxy).increment();
  }

  void banned(String proxy, String source) {
    counter("harp_bans_created", "Bans this node made", "proxy", proxy, "source", source).increment();
  }

  void lifted(String proxy) {
    counter("harp_bans_lifted", "Bans this node lifted through the admin API", "proxy", proxy).increment();
  }

  void failureCounted(String proxy) {
    counter("harp_ban_failures_counted", "Failures counted towards a ban", "proxy", proxy).increment();
  }

  /** A failure that could not be counted (the cluster did not answer): never silent. */
  void countLost(String proxy) {
    counter("harp_ban_failures_lost", "Failures that could not be counted because the cluster did not answer",
        "proxy", proxy).increment();
  }

  Counter evictions() {
    return counter("harp_ban_failure_keys_evicted",
        "Failure counters evicted for lack of room; those clients' failures are forgotten");
  }

  private Counter counter(String name, String description, String... tags) {
    return counters.computeIfAbsent(name + String.join(",", tags),
        k -> Counter.builder(name).description(description).tags(tags).register(registry));
  }
}
