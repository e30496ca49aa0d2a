package dev.harp.node;

import com.hazelcast.core.HazelcastInstance;
import dev.harp.admin.AdminVerticle;
import dev.harp.admin.auth.AdminGuard;
import dev.harp.cluster.ClusterView;
import dev.harp.cluster.HazelcastSetup;
import dev.harp.cluster.vip.VipRole;
import dev.harp.cluster.vip.VipRoutes;
import dev.harp.config.ClusterConfig;
import dev.harp.config.HarpConfig;
import dev.harp.config.ProxyConfig;
import dev.harp.dashboard.Dashboard;
import dev.harp.observe.HarpMetrics;
import dev.harp.observe.NodeObservers;
import dev.harp.engine.NodeFilters;
import dev.harp.engine.NodeServices;
import dev.harp.engine.ProxyRuntime;
import dev.harp.engine.ProxyVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.transport.Transport;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.vertx.ext.web.Router;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One HARP node: a clustered Vert.x instance with its embedded Hazelcast member, one listener per proxy on every
 * event loop, and the admin server. {@link #start} brings it up in that order; {@link #stop} drains and leaves.
 */
public final class HarpNode {

  private static final Logger LOG = LoggerFactory.getLogger(HarpNode.class);

  private final HarpConfig config;
  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final HarpMetrics metrics;
  private final Readiness readiness = new Readiness();
  private final Map<String, ProxyRuntime> runtimes = new LinkedHashMap<>();
  private final List<String> proxyDeployments = new ArrayList<>();
  private final NodeFilters filters = new NodeFilters();
  private final NodeObservers observers;
  private AdminVerticle admin;
  private Dashboard dashboard;
  private VipRole vip;
  private Future<Void> stopping;

  private HarpNode(HarpConfig config, Vertx vertx, HazelcastInstance hazelcast, HarpMetrics metrics) {
    this.config = config;
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.metrics = metrics;
    this.observers = new NodeObservers(vertx, config, metrics);
  }

  public static Future<HarpNode> start(HarpConfig config) {
    HarpMetrics metrics = new HarpMetrics();
    HazelcastClusterManager clusterManager = new HazelcastClusterManager(HazelcastSetup.memberConfig(config));
    String busHost = config.cluster().map(ClusterConfig::iface).orElse("127.0.0.1");
    int busPort = config.cluster().map(ClusterConfig::eventBusPort).orElse(0);
    VertxOptions options = new VertxOptions()
        .setEventLoopPoolSize(config.node().eventLoops())
        .setMetricsOptions(metrics.vertxOptions())
        .setEventBusOptions(new EventBusOptions().setHost(busHost).setClusterPublicHost(busHost).setPort(busPort));
    long begin = System.nanoTime();
    return Vertx.builder()
        .with(options)
        .withClusterManager(clusterManager)
        .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
        .withTransport(transport())
        .buildClustered()
        .compose(vertx -> {
          HarpNode node = new HarpNode(config, vertx, clusterManager.getHazelcastInstance(), metrics);
          return node.deploy().map(node).recover(err -> vertx.close().transform(v -> Future.failedFuture(err)));
        })
        .onSuccess(node -> LOG.info("node {} ready to serve in {} ms: {} proxies, admin on {}:{}",
            config.node().name(), (System.nanoTime() - begin) / 1_000_000, config.proxies().size(),
            config.admin().bind(), node.adminPort()));
  }

  /**
   * The event-loop transport: NIO unless {@code -Dharp.transport=io_uring|epoll} asks for a native one. bench/proxy.sh
   * measured io_uring at ~25% less CPU per proxied request than NIO (fewer, batched syscalls); Vert.x falls back to
   * NIO, with this warning, where the kernel or a seccomp profile refuses it. io_uring stays opt-in: the test suite
   * run on it ({@code ./mvnw test -Dharp.transport=io_uring}, Netty 4.2 / Vert.x 5.0.8) fails 12 of 378 tests, among
   * them refused hostile requests whose 4xx is lost to the close, the dashboard's live updates and clustered rate
   * limits under parallel load.
   */
  static Transport transport() {
    String name = System.getProperty("harp.transport", "nio");
    Transport transport = switch (name) {
      case "io_uring" -> Transport.IO_URING;
      case "epoll" -> Transport.EPOLL;
      case "nio" -> Transport.NIO;
      default -> throw new IllegalArgumentException("harp.transport: '" + name + "' is not nio, epoll or io_uring");
    };
    if (transport != Transport.NIO) {
      if (transport == null || !transport.available()) {
        LOG.warn("transport {} unavailable, using nio: {}", name,
            transport == null ? "classes missing" : transport.unavailabilityCause());
      } else {
        LOG.info("transport {}", name);
      }
    }
    return transport == null ? Transport.NIO : transport;
  }

  private Future<Void> deploy() {
    ClusterView cluster = new ClusterView(vertx, hazelcast);
    readiness.cluster(new Readiness.ClusterHealth(cluster::memberCount,
        () -> cluster.isSafe(Readiness.SAFETY_WAIT)));
    metrics.clusterMembers(cluster::memberCount);
    for (ProxyConfig proxy : config.proxies()) {
      ProxyRuntime runtime = new ProxyRuntime(proxy);
      observers.attach(runtime);
      runtimes.put(proxy.name(), runtime);
    }
    Router adminRouter = Router.router(vertx);
    vip = new VipRole(vertx, config.node().name());
    readiness.vip(vip);
    VipRoutes.mount(adminRouter, vip);
    admin = new AdminVerticle(config.admin().bind(), config.admin().port(), readiness, metrics, adminRouter,
        new AdminGuard(config.admin(), hazelcast, metrics.registry()));
    dashboard = new Dashboard(config, vertx, hazelcast, readiness, observers, metrics.registry());
    dashboard.mount(adminRouter);
    return startFilters(new NodeServices(config.node().name(), config, vertx, hazelcast, metrics.registry(),
        Map.copyOf(runtimes), adminRouter))
        .compose(v -> deployProxies())
        .compose(v -> {
          readiness.proxiesListening(true);
          return vertx.deployVerticle(admin).recover(err -> Future.failedFuture(new IllegalStateException(
              "admin server cannot listen on " + config.admin().bind() + ":" + config.admin().port() + ": "
                  + err.getMessage(), err)));
        })
        .compose(v -> observers.start())
        .compose(v -> dashboard.start())
        .mapEmpty();
  }

  /** Creates every proxy's filters (HARP's own and plugins'), then puts them in each proxy's pipeline order. */
  private Future<Void> startFilters(NodeServices services) {
    // Every stage is registered once start completes: then the order (placements, or a proxy's filters: list).
    return filters.start(services).map(v -> {
      NodeFilters.arrange(runtimes.values());
      return null;
    });
  }

  private Future<Void> deployProxies() {
    List<Future<String>> deployments = new ArrayList<>();
    for (ProxyRuntime runtime : runtimes.values()) {
      ProxyConfig proxy = runtime.config();
      deployments.add(vertx.deployVerticle(() -> new ProxyVerticle(runtime, config.node().drainTimeout()),
              new DeploymentOptions().setInstances(config.node().eventLoops()))
          .onSuccess(proxyDeployments::add)
          .recover(err -> Future.failedFuture(new IllegalStateException(
              "proxy '" + proxy.name() + "' cannot listen on " + proxy.bind() + ":" + proxy.port() + ": "
                  + err.getMessage(), err))));
    }
    return Future.all(deployments).mapEmpty();
  }

  /**
   * Graceful stop: report not-ready first (keepalived moves the VIP away), stop accepting, let in-flight exchanges
   * finish up to {@code node.drainTimeout}, then leave the cluster. Idempotent.
   */
  public synchronized Future<Void> stop() {
    if (stopping != null) {
      return stopping;
    }
    LOG.info("node {} draining (up to {})", config.node().name(), config.node().drainTimeout());
    readiness.draining(true);
    runtimes.values().forEach(r -> r.draining(true));
    List<Future<Void>> undeploys = new ArrayList<>();
    for (String id : proxyDeployments) {
      undeploys.add(vertx.undeploy(id));
    }
    stopping = Future.join(undeploys)
        .eventually(filters::stop)
        .eventually(() -> dashboard == null ? Future.succeededFuture() : dashboard.stop())
        .eventually(observers::stop)
        .eventually(vertx::close)
        .onComplete(ar -> LOG.info("node {} stopped and left the cluster", config.node().name()))
        .mapEmpty();
    return stopping;
  }

  public HarpConfig config() {
    return config;
  }

  public String name() {
    return config.node().name();
  }

  public Vertx vertx() {
    return vertx;
  }

  public HazelcastInstance hazelcast() {
    return hazelcast;
  }

  public HarpMetrics metrics() {
    return metrics;
  }

  /** Traffic events, per-second stats and access logs of this node; the dashboard reads its latest stats here. */
  public NodeObservers observers() {
    return observers;
  }

  /** This node's virtual-IP role as keepalived last reported it. */
  public VipRole vip() {
    return vip;
  }

  public Readiness readiness() {
    return readiness;
  }

  public ProxyRuntime proxy(String name) {
    return runtimes.get(name);
  }

  public int adminPort() {
    return admin.actualPort();
  }
}
