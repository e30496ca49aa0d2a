package dev.harp.resilience;

import com.hazelcast.core.HazelcastInstance;
import dev.harp.config.ProxyConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A node's resilience machinery, which every proxy's resilience filter shares: the {@link ResilienceVerticle} (shared
 * breakers, health verdicts and prober, maintenance, events, the tick) and the admin API under
 * {@code /api/proxies/{proxy}/endpoints}. Made once per node, by the first proxy's filter; the verticle is deployed
 * with the first proxy that has resilience, so a node without any runs none of it. Its methods run at start, off the
 * event loops: they wait for the verticle.
 */
final class ResilienceNode {

  /** How long a proxy's start may wait for the cluster's state of its endpoints. */
  private static final long START_TIMEOUT_SECONDS = 30;

  private final Vertx vertx;
  private final String nodeName;
  private final HazelcastInstance hazelcast;
  private final MeterRegistry registry;
  /** Every proxy's endpoints by proxy name, with resilience or not: the admin API lists them all. */
  private final Map<String, List<EndpointInfo>> proxies = new ConcurrentHashMap<>();
  private volatile ResilienceVerticle verticle;
  private String deployment;

  private ResilienceNode(Vertx vertx, String nodeName, HazelcastInstance hazelcast, MeterRegistry registry) {
    this.vertx = vertx;
    this.nodeName = nodeName;
    this.hazelcast = hazelcast;
    this.registry = registry;
  }

  /** Makes the machinery and mounts the admin API. */
  static ResilienceNode start(Vertx vertx, String nodeName, HazelcastInstance hazelcast, MeterRegistry registry,
                              Router admin) {
    ResilienceNode node = new ResilienceNode(vertx, nodeName, hazelcast, registry);
    ResilienceApi.mount(admin, node);
    return node;
  }

  /** A proxy without resilience: only listed by the admin API. */
  void plain(String proxy, List<EndpointInfo> endpoints) {
    proxies.put(proxy, endpoints);
  }

  /** A proxy with resilience: its filter, once the cluster's state of its endpoints is read. Blocks. */
  ResilienceFilter guard(ProxyConfig config, ResilienceSettings settings, List<EndpointInfo> endpoints) {
    ResilienceFilter filter = await(deployed().add(config, settings, endpoints));
    proxies.put(config.name(), endpoints);
    return filter;
  }

  private ResilienceVerticle deployed() {
    if (verticle == null) {
      ResilienceVerticle v = new ResilienceVerticle(nodeName, hazelcast, registry,
          ResilienceVerticle.Maps.of(hazelcast));
      deployment = await(vertx.deployVerticle(v));
      verticle = v;
    }
    return verticle;
  }

  /** Waits on a worker thread (the node creates filters on one) for what runs on the verticle's context. */
  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("resilience could not start: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("resilience did not start within " + START_TIMEOUT_SECONDS + "s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while resilience started", e);
    }
  }

  /** After the proxies drained: stops the prober election, the tick and the listeners. */
  Future<Void> stop() {
    return deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
  }

  boolean hasProxy(String proxy) {
    return proxies.containsKey(proxy);
  }

  List<EndpointInfo> endpoints(String proxy) {
    return proxies.get(proxy);
  }

  /** The proxy's resilience filter, or null when it has none. */
  ResilienceFilter policy(String proxy) {
    ResilienceVerticle v = verticle;
    return v == null ? null : v.policy(proxy);
  }

  Maintenance maintenance() {
    return verticle.maintenance();
  }

  boolean probing() {
    ResilienceVerticle v = verticle;
    return v != null && v.probing();
  }

  String nodeName() {
    return nodeName;
  }
}
