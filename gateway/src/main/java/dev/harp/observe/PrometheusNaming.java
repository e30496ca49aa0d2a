package dev.harp.observe;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Map;
import java.util.Set;

/**
 * Keeps {@code /metrics} clean under {@code promtool check metrics}. Three of Micrometer's JVM meters (bound by
 * vertx-micrometer-metrics) break Prometheus naming rules: two count time in ms/ns, one is a gauge ending in
 * {@code _count}. The first two are replaced by the same figure in seconds, the third is renamed. Must run before
 * any meter is registered: filters do not apply to meters that already exist.
 */
final class PrometheusNaming {

  /** Micrometer's meters reported in abbreviated units ({@code _ms_total}, {@code _ns_total}). */
  private static final Set<String> NOT_IN_SECONDS = Set.of("jvm.compilation.time", "process.cpu.time");

  private static final Map<String, String> RENAMED = Map.of("system.cpu.count", "jvm.available.processors");

  private PrometheusNaming() {
  }

  static void apply(MeterRegistry registry) {
    registry.config()
        .meterFilter(MeterFilter.deny(id -> NOT_IN_SECONDS.contains(id.getName()) && !"seconds".equals(id.getBaseUnit())))
        .meterFilter(new MeterFilter() {
          @Override
          public Meter.Id map(Meter.Id id) {
            String renamed = RENAMED.get(id.getName());
            return renamed == null ? id : id.withName(renamed);
          }
        });
    CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
    if (compilation != null && compilation.isCompilationTimeMonitoringSupported()) {
      FunctionCounter.builder("jvm.compilation.time", compilation, c -> c.getTotalCompilationTime() / 1_000.0)
          .baseUnit("seconds").description("Time the JIT compiler has spent compiling").register(registry);
    }
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean process) {
      // The name Prometheus's own client libraries use for this figure.
      FunctionCounter.builder("process.cpu", process, p -> p.getProcessCpuTime() / 1e9)
          .baseUnit("seconds").description("CPU time used by this JVM process").register(registry);
    }
  }
}
