package dev.harp.observe;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;

import java.util.function.Supplier;

/**
 * The node's Prometheus registry. Vert.x's own meters (event bus, worker pools) go into it through
 * vertx-micrometer-metrics; HARP's per-proxy meters are recorded by {@link ProxyMetrics}. Vert.x's per-request HTTP
 * meters are switched off: ours carry the proxy name, and two sets would double the hot-path cost.
 */
public final class HarpMetrics {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  public HarpMetrics() {
    PrometheusNaming.apply(registry);
    FunctionCounter.builder("harp_log_lines_dropped", CountingAsyncAppender.class, c -> CountingAsyncAppender.dropped())
        .description("Access-log lines dropped because the log queue was full (stdout too slow)")
        .register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public MicrometerMetricsOptions vertxOptions() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        // vertx-micrometer keeps one backend per registry name, JVM-wide: under the shared default name a second node
        // in the same JVM (every cluster test) would put its Vert.x and JVM meters into the first node's registry.
        .setRegistryName("harp-" + System.identityHashCode(registry) + "-" + System.nanoTime())
        .setJvmMetricsEnabled(true)
        .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
        .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
        .addDisabledMetricsCategory(MetricsDomain.NET_SERVER)
        .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT);
  }

  public void clusterMembers(Supplier<Number> count) {
    Gauge.builder("harp_cluster_members", count).description("Hazelcast members this node sees")
        .register(registry);
  }

  public String scrape() {
    return registry.scrape();
  }
}
