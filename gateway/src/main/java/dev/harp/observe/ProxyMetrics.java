package dev.harp.observe;

import dev.harp.engine.CompletedExchange;
import dev.harp.engine.ExchangeListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per-proxy Prometheus meters: requests by status class, failures by reason, total and upstream latency histograms.
 * Meters are looked up once and kept, so recording is a few atomic adds.
 */
public final class ProxyMetrics implements ExchangeListener {

  private static final Duration[] BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30)};

  private final MeterRegistry registry;
  private final String proxy;
  private final Counter[] byClass = new Counter[6];
  private final Timer latency;
  private final Timer upstreamLatency;
  private final ConcurrentHashMap<String, Counter> failures = new ConcurrentHashMap<>();

  public ProxyMetrics(MeterRegistry registry, String proxy) {
    this.registry = registry;
    this.proxy = proxy;
    String[] classes = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};
    for (int i = 0; i < classes.length; i++) {
      byClass[i] = Counter.builder("harp_requests").description("Exchanges completed, by status class")
          .tag("proxy", proxy).tag("status_class", classes[i]).register(registry);
    }
    latency = Timer.builder("harp_request_duration").description("Request head in to response end")
        .tag("proxy", proxy).serviceLevelObjectives(BUCKETS).register(registry);
    upstreamLatency = Timer.builder("harp_upstream_duration")
        .description("Upstream request sent to upstream response head").tag("proxy", proxy)
        .serviceLevelObjectives(BUCKETS).register(registry);
  }

  @Override
  public void onComplete(CompletedExchange e) {
    int cls = e.status() / 100;
    byClass[cls >= 1 && cls <= 5 ? cls : 0].increment();
    latency.record(e.durationNanos(), TimeUnit.NANOSECONDS);
    if (e.upstreamNanos() >= 0) {
      upstreamLatency.record(e.upstreamNanos(), TimeUnit.NANOSECONDS);
    }
    if (e.failure() != null) {
      failures.computeIfAbsent(e.failure().slug(), reason -> Counter.builder("harp_failures")
          .description("Exchanges HARP ended abnormally, by reason").tag("proxy", proxy).tag("reason", reason)
          .register(registry)).increment();
    }
  }
}
