package dev.harp.audit.store;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The store's counts, kept here once and read by both {@link AuditStats} and the meters (function counters and
 * gauges over the same adders), so the two can never disagree. A shed record is counted on the offering thread.
 */
final class AuditMetrics {

  final LongAdder written = new LongAdder();
  final LongAdder shed = new LongAdder();
  final LongAdder failed = new LongAdder();
  final LongAdder pruned = new LongAdder();
  final Timer commit;
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();

  AuditMetrics(MeterRegistry registry, IntSupplier queueDepth, LongSupplier logSize) {
    this.registry = registry;
    counter(registry, "harp_audit_records_written", "Audit records committed", written);
    counter(registry, "harp_audit_records_shed",
        "Audit records refused because the writer's queue was full: transactions missing from the audit trail", shed);
    counter(registry, "harp_audit_records_failed",
        "Audit records taken but not written (redaction or encoding threw, or their transaction failed)", failed);
    counter(registry, "harp_audit_records_pruned", "Audit records deleted by retention (their leaf hashes stay)",
        pruned);
    meters.add(Gauge.builder("harp_audit_queue_depth", queueDepth::getAsInt)
        .description("Audit records waiting for the writer").register(registry));
    meters.add(Gauge.builder("harp_audit_log_size", logSize::getAsLong)
        .description("Leaves in this node's committed audit log").register(registry));
    commit = Timer.builder("harp_audit_commit_seconds").description("Time to write and commit one batch of records")
        .register(registry);
    meters.add(commit);
  }

  /**
   * Unregisters the meters: a store opened again in the same registry (a node restarted in-process) would otherwise
   * get the closed store's meters back, reading the old counts.
   */
  void remove() {
    meters.forEach(registry::remove);
  }

  private void counter(MeterRegistry registry, String name, String description, LongAdder adder) {
    meters.add(FunctionCounter.builder(name, adder, LongAdder::sum).description(description).register(registry));
  }
}
