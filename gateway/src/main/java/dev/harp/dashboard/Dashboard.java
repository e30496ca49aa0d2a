package dev.harp.dashboard;

import dev.harp.capture.CaptureFilterFactory;
import dev.harp.capture.CaptureSettings;
import com.hazelcast.core.HazelcastInstance;
import dev.harp.config.HarpConfig;
import dev.harp.config.ProxyConfig;
import dev.harp.node.Readiness;
import dev.harp.observe.NodeObservers;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The live dashboard's server side on one node: the bounded store of recent transactions fed by the traffic events,
 * the heartbeat, the fan-out queries, and the browser bridge. {@link #mount} adds the page and the bridge to the
 * admin router (behind its access check); {@link #start} runs once the node serves; {@link #stop} says goodbye.
 */
public final class Dashboard {

  private final Vertx vertx;
  private final HarpConfig config;
  private final TransactionStore store;
  private final DashboardVerticle verticle;
  private final BridgeRoutes bridge = new BridgeRoutes();
  private String deployment;

  public Dashboard(HarpConfig config, Vertx vertx, HazelcastInstance hazelcast, Readiness readiness,
                   NodeObservers observers, MeterRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    String node = config.node().name();
    this.store = new TransactionStore(config.events().retain(), config.events().retainFor().toMillis(),
        System::currentTimeMillis);
    Map<String, CaptureSettings> capture = new LinkedHashMap<>();
    for (ProxyConfig proxy : config.proxies()) {
      capture.put(proxy.name(), CaptureFilterFactory.settings(proxy));
    }
    MaskedConfig masked = MaskedConfig.of(config);
    observers.capture(new ExchangeCapture(capture, store, masked.secretValues()));
    NodeHeartbeat heartbeat = new NodeHeartbeat(node, config.admin().bind() + ":" + config.admin().port(), hazelcast,
        readiness, new LoopLagProbe(vertx), store, () -> sampledOut(registry),
        config.proxies().stream().map(ProxyConfig::name).toList(), digest(masked), new FeatureCounters(registry));
    this.verticle = new DashboardVerticle(node, hazelcast, heartbeat, store, new NodeQueries(node, store, masked,
        config.audit().isPresent() ? vertx.eventBus() : null));
    meters(registry);
  }

  /** The page, its libraries (WebJars) and the event-bus bridge, on the admin router. */
  public void mount(Router admin) {
    admin.route("/dashboard/lib/*").handler(StaticHandler.create("META-INF/resources/webjars")
        .setMaxAgeSeconds(86_400));
    admin.route("/dashboard/*").handler(StaticHandler.create("harp-dashboard").setCachingEnabled(false));
    // SockJS's XHR transports post frames; behind the admin login the body may have fully arrived while the password
    // was checked, and only a BodyHandler keeps it for the bridge. Bridge frames are small: cap them.
    admin.route("/eventbus/*").handler(BodyHandler.create().setBodyLimit(BridgeRoutes.MAX_POST_BYTES));
    admin.route("/eventbus/*").subRouter(bridge.router(vertx));
  }

  public Future<Void> start() {
    return vertx.deployVerticle(verticle).onSuccess(id -> deployment = id).mapEmpty();
  }

  public Future<Void> stop() {
    return deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
  }

  private void meters(MeterRegistry registry) {
    Gauge.builder("harp_transactions_stored", store, TransactionStore::size)
        .description("Transactions this node keeps for the dashboard's search (events.retain caps it)")
        .register(registry);
    FunctionCounter.builder("harp_transactions_evicted", store, TransactionStore::evictedByCount)
        .description("Transactions dropped from the dashboard store, by why").tag("reason", "count")
        .register(registry);
    FunctionCounter.builder("harp_transactions_evicted", store, TransactionStore::expiredByAge)
        .description("Transactions dropped from the dashboard store, by why").tag("reason", "age")
        .register(registry);
    Gauge.builder("harp_dashboard_sockets", bridge, BridgeRoutes::sockets)
        .description("Browsers connected to this node's event-bus bridge").register(registry);
  }

  /** Traffic events the budget left out, all proxies: those transactions were never stored either. */
  private static long sampledOut(MeterRegistry registry) {
    double sum = 0;
    for (FunctionCounter c : registry.find("harp_traffic_events_sampled_out").functionCounters()) {
      sum += c.count();
    }
    return (long) sum;
  }

  /** A short digest of the settings nodes should share (per-node ones and secrets left out), for a quick check. */
  private static String digest(MaskedConfig masked) {
    Map<String, String> leaves = new TreeMap<>();
    ConfigCompare.flatten(masked.masked(), "", leaves);
    leaves.keySet().removeIf(ConfigCompare::perNode);
    return MaskedConfig.sha256(leaves.toString()).substring(0, 12);
  }
}
