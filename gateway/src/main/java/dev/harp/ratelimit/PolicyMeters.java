package dev.harp.ratelimit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One policy's meters, created up front so the hot path only increments: decisions by outcome and by who decided
 * (a fallback is never silent), cluster failures by reason and the action {@code onClusterFailure} took.
 */
final class PolicyMeters {

  private final RateLimitMetrics metrics;
  private final Map<Decision.Source, Counter[]> decisions = new EnumMap<>(Decision.Source.class);
  private final Counter coalesced;
  private final Counter[] failures = new Counter[3];

  PolicyMeters(RateLimitMetrics metrics, Policy policy) {
    this.metrics = metrics;
    MeterRegistry r = metrics.registry();
    String id = policy.id();
    for (Decision.Source source : Decision.Source.values()) {
      boolean possible = policy.mode() == Mode.LOCAL ? source == Decision.Source.LOCAL
          : source != Decision.Source.LOCAL && (source == Decision.Source.CLUSTER || failureSource(policy) == source);
      if (!possible) {
        continue;
      }
      Counter[] byOutcome = new Counter[3];
      String[] outcomes = {"allowed", "limited", "unavailable"};
      for (int i = 0; i < 3; i++) {
        byOutcome[i] = Counter.builder("harp_ratelimit_decisions").description("Rate-limit decisions")
            .tag("proxy", metrics.proxy()).tag("policy", id).tag("outcome", outcomes[i])
            .tag("source", source.name().toLowerCase()).register(r);
      }
      decisions.put(source, byOutcome);
    }
    coalesced = Counter.builder("harp_ratelimit_coalesced")
        .description("Cluster-mode decisions that shared one entry-processor call with an earlier request")
        .tag("proxy", metrics.proxy()).tag("policy", id).register(r);
    String action = policy.onClusterFailure().name().toLowerCase();
    String[] reasons = {"timeout", "error", "overload"};
    for (int i = 0; i < 3; i++) {
      failures[i] = Counter.builder("harp_ratelimit_cluster_failures")
          .description("Cluster-mode decisions the cluster could not make in time, by reason and fallback action")
          .tag("proxy", metrics.proxy()).tag("policy", id).tag("reason", reasons[i]).tag("action", action)
          .register(r);
    }
  }

  private static Decision.Source failureSource(Policy policy) {
    return switch (policy.onClusterFailure()) {
      case ALLOW -> Decision.Source.FAIL_OPEN;
      case DENY -> Decision.Source.FAIL_CLOSED;
      case LOCAL -> Decision.Source.FALLBACK;
    };
  }

  void decided(Decision d) {
    Counter[] byOutcome = decisions.get(d.source());
    if (byOutcome == null) {
      return;
    }
    int outcome = d instanceof Decision.Admitted ? 0 : d instanceof Decision.Limited ? 1 : 2;
    byOutcome[outcome].increment();
  }

  void coalesced() {
    coalesced.increment();
  }

  /** The action is fixed per policy ({@code onClusterFailure}) and already a tag. */
  void clusterFailure(String reason) {
    failures["timeout".equals(reason) ? 0 : "error".equals(reason) ? 1 : 2].increment();
  }

  void clusterCall(long nanos) {
    metrics.clusterCalls().record(nanos, TimeUnit.NANOSECONDS);
  }
}
