package dev.harp.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.function.Supplier;

/** A proxy's rate-limit meters; per-policy ones are in {@link PolicyMeters}. */
final class RateLimitMetrics {

  private final MeterRegistry registry;
  private final String proxy;
  private final Counter syncOk;
  private final Counter syncFailed;
  private final Timer clusterCalls;

  RateLimitMetrics(MeterRegistry registry, String proxy) {
    this.registry = registry;
    this.proxy = proxy;
    syncOk = Counter.builder("harp_ratelimit_syncs").description("Local-mode key reconciliations with the cluster")
        .tag("proxy", proxy).tag("outcome", "ok").register(registry);
    syncFailed = Counter.builder("harp_ratelimit_syncs").description("Local-mode key reconciliations with the cluster")
        .tag("proxy", proxy).tag("outcome", "failed").register(registry);
    clusterCalls = Timer.builder("harp_ratelimit_cluster_call_duration")
        .description("Cluster-mode entry-processor calls, sent to answered (or timed out)").tag("proxy", proxy)
        .serviceLevelObjectives(Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
            Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50))
        .register(registry);
  }

  MeterRegistry registry() {
    return registry;
  }

  String proxy() {
    return proxy;
  }

  Timer clusterCalls() {
    return clusterCalls;
  }

  void synced(boolean ok) {
    (ok ? syncOk : syncFailed).increment();
  }

  /** Keys dropped for lack of room ({@code maxKeys}): each one forgets a client's usage, so each one is counted. */
  Counter evictions(String store) {
    return Counter.builder("harp_ratelimit_keys_evicted")
        .description("Rate-limit keys evicted for lack of room (maxKeys); their usage is forgotten")
        .tag("proxy", proxy).tag("store", store).register(registry);
  }

  void localKeys(Supplier<Number> size) {
    Gauge.builder("harp_ratelimit_local_keys", size).description("Keys in this node's local rate-limit tables")
        .tag("proxy", proxy).register(registry);
  }
}
