package dev.harp.resilience;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Prometheus meters of the resilience feature. State is read at scrape time from the guards (gauges) and the
 * budgets (function counters), so the request path increments nothing extra; only retries, ejections, breaker
 * transitions and probes count, and they are rare.
 */
final class ResilienceMetrics {

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

  ResilienceMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counters of one proxy. */
  final class ProxyMeters {
    private final String proxy;

    private ProxyMeters(String proxy) {
      this.proxy = proxy;
    }

    void retried(String reason) {
      counter("harp_retries", "Upstream attempts retried, by what failed", "proxy", proxy, "reason", reason)
          .increment();
    }
  }

  ProxyMeters proxy(String proxy, RetryBudget budget) {
    if (budget != null) {
      FunctionCounter.builder("harp_retry_budget_exhausted", budget, RetryBudget::exhausted)
          .description("Retries refused because the proxy's retry budget on this node was spent")
          .tag("proxy", proxy).register(registry);
    }
    return new ProxyMeters(proxy);
  }

  void endpoint(EndpointGuard guard) {
    String proxy = guard.proxy();
    String url = guard.endpoint().label();
    Gauge.builder("harp_endpoint_available", guard, g -> g.admits() ? 1 : 0)
        .description("1 when this node sends traffic to the endpoint (health, maintenance, ejection, circuit)")
        .tag("proxy", proxy).tag("endpoint", url).register(registry);
    Gauge.builder("harp_endpoint_healthy", guard, g -> g.healthy() ? 1 : 0)
        .description("The cluster's active health verdict for the endpoint, as this node knows it")
        .tag("proxy", proxy).tag("endpoint", url).register(registry);
    Gauge.builder("harp_endpoint_ejected", guard, g -> g.ejected() ? 1 : 0)
        .description("1 while passive outlier detection keeps the endpoint out on this node")
        .tag("proxy", proxy).tag("endpoint", url).register(registry);
    if (guard.breaker() != null) {
      Gauge.builder("harp_circuit_breaker_state", guard, g -> switch (g.breaker().state()) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
          })
          .description("Circuit breaker of the endpoint on this node: 0 closed, 1 half-open, 2 open")
          .tag("proxy", proxy).tag("endpoint", url).register(registry);
    }
  }

  void breakerTransition(EndpointGuard guard, CircuitBreakerState state) {
    counter("harp_circuit_breaker_transitions", "Circuit breaker state changes made on this node", "proxy",
        guard.proxy(), "endpoint", guard.endpoint().label(), "state", ResilienceEvents.stateName(state))
        .increment();
  }

  void ejection(EndpointGuard guard) {
    counter("harp_outlier_ejections", "Endpoints ejected by passive outlier detection on this node", "proxy",
        guard.proxy(), "endpoint", guard.endpoint().label()).increment();
  }

  void probe(EndpointGuard guard, boolean ok) {
    counter("harp_health_probes", "Active health probes this node made (as the elected prober)", "proxy",
        guard.proxy(), "endpoint", guard.endpoint().label(), "result", ok ? "pass" : "fail").increment();
  }

  private Counter counter(String name, String description, String... tags) {
    String id = name + String.join("|", tags);
    return counters.computeIfAbsent(id, k -> Counter.builder(name).description(description).tags(tags)
        .register(registry));
  }
}
