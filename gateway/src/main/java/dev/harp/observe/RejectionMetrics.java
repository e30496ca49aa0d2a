package dev.harp.observe;

import dev.harp.engine.RejectionListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.ConcurrentHashMap;

/** {@code harp_rejected_requests_total{proxy,reason}}: requests refused before an exchange began. */
final class RejectionMetrics implements RejectionListener {

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Counter> byReason = new ConcurrentHashMap<>();

  RejectionMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void onRejected(String proxy, String reason, int status) {
    // Reasons are a small fixed set of slugs chosen by the proxy code, never client input, so the label stays bounded.
    byReason.computeIfAbsent(proxy + '\0' + reason, k -> Counter.builder("harp_rejected_requests")
        .description("Requests refused before an exchange began (hostile or malformed input), by reason")
        .tag("proxy", proxy).tag("reason", reason).register(registry)).increment();
  }
}
