package dev.harp.observe;

import dev.harp.config.HarpConfig;
import dev.harp.engine.ProxyRuntime;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Map;

/**
 * Wires the node's observers onto each proxy: Prometheus meters, traffic events ({@code harp.traffic}), per-second
 * stats ({@code harp.stats}), the access log and rejection counts. {@link #start} starts their clock once the node
 * serves; {@link #stop} publishes what is left.
 */
public final class NodeObservers {

  private final Vertx vertx;
  private final String node;
  private final HarpMetrics metrics;
  private final TrafficBudget budget;
  private final TrafficPublisher traffic;
  private final StatsPublisher stats = new StatsPublisher();
  private final RejectionMetrics rejections;
  private String deployment;

  public NodeObservers(Vertx vertx, HarpConfig config, HarpMetrics metrics) {
    this.vertx = vertx;
    this.node = config.node().name();
    this.metrics = metrics;
    int perSecond = config.events().maxPerSecond();
    this.budget = new TrafficBudget(perSecond);
    // A second's budget: more than ten flushes' worth, so only a stalled flusher ever fills it.
    this.traffic = new TrafficPublisher(node, Math.max(TrafficPublisher.MAX_BATCH, perSecond));
    this.rejections = new RejectionMetrics(metrics.registry());
  }

  public void attach(ProxyRuntime runtime) {
    String proxy = runtime.name();
    TrafficEvents events = new TrafficEvents(budget, traffic);
    StatsRecorder recorder = new StatsRecorder(node, proxy, events);
    stats.add(recorder);
    eventCounters(metrics.registry(), proxy, events);
    runtime.addListener(new ProxyMetrics(metrics.registry(), proxy));
    FunctionCounter.builder("harp_upstream_stale_connection_resends", runtime,
            ProxyRuntime::staleConnectionResends)
        .description("Idempotent requests sent again because a pooled upstream connection was found closed")
        .tag("proxy", proxy).register(metrics.registry());
    runtime.addListener(recorder);
    runtime.addListener(events);
    runtime.addRejectionListener(rejections);
    if (runtime.config().accessLog()) {
      AccessLog log = new AccessLog(proxy);
      runtime.addListener(log);
      runtime.addRejectionListener(log);
    }
  }

  /** Sets what rides along with admitted traffic events (the dashboard's transaction capture); before start. */
  public void capture(TrafficCapture capture) {
    traffic.capture(capture);
  }

  /** The latest per-second figures of each proxy on this node (the last closed window), by proxy name. */
  public Map<String, ProxyStats> latestStats() {
    return stats.latest();
  }

  public Future<Void> start() {
    return vertx.deployVerticle(new ObserverVerticle(traffic, stats)).onSuccess(id -> deployment = id).mapEmpty();
  }

  public Future<Void> stop() {
    return deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
  }

  private static void eventCounters(MeterRegistry registry, String proxy, TrafficEvents events) {
    // Read from the listener's adders at scrape time: no second increment on the hot path.
    FunctionCounter.builder("harp_traffic_events_published", events, TrafficEvents::published)
        .description("Traffic events published on harp.traffic").tag("proxy", proxy).register(registry);
    FunctionCounter.builder("harp_traffic_events_sampled_out", events, TrafficEvents::sampledOut)
        .description("Traffic events left out by the node's events.maxPerSecond budget").tag("proxy", proxy)
        .register(registry);
  }
}
