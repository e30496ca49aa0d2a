package dev.harp.resilience;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.harp.node.NodeContext;
import dev.harp.observe.EventAddresses;
import dev.harp.engine.ProxyRuntime;
import dev.harp.engine.UpstreamEndpoint;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The resilience feature on one node. Its start builds a {@link ResilienceFilter} per proxy that has resilience
 * and installs it before the proxies listen, listens to its peers' announcements, reads the cluster's current state,
 * then starts the once-a-second tick and the prober election. Its context is where every Hazelcast result and bus
 * message of the feature is handled.
 */
final class ResilienceVerticle extends VerticleBase {

  private final NodeContext node;
  private final Map<String, ResilienceSettings> settings;
  // Read by the admin API from the admin server's thread, hence concurrent and volatile.
  private final Map<String, ResilienceFilter> policies = new ConcurrentHashMap<>();
  private volatile Maintenance maintenance;
  private volatile ProberElection election;
  /** Touched only on this verticle's context. */
  private final Map<ResilienceFilter, long[]> lastRetryCounts = new LinkedHashMap<>();
  private ResilienceEvents events;
  private HealthProber prober;

  /** @param settings resilience settings of the proxies that have any, by proxy name */
  ResilienceVerticle(NodeContext node, Map<String, ResilienceSettings> settings) {
    this.node = node;
    this.settings = settings;
  }

  /** The feature's cluster maps; getting a map proxy may create the distributed object, so it runs on a worker. */
  private record Maps(IMap<String, BreakerRecord> breakers, IMap<String, HealthRecord> health,
                      IMap<String, OverrideRecord> maintenance) {
  }

  @Override
  public Future<?> start() {
    HazelcastInstance hz = node.hazelcast();
    return vertx.executeBlocking(() -> new Maps(hz.<String, BreakerRecord>getMap(SharedBreakers.MAP),
            hz.<String, HealthRecord>getMap(SharedHealth.MAP), hz.<String, OverrideRecord>getMap(Maintenance.MAP)))
        .compose(this::startWith);
  }

  private Future<?> startWith(Maps maps) {
    HazelcastInstance hz = node.hazelcast();
    ResilienceMetrics metrics = new ResilienceMetrics(node.metrics());
    events = new ResilienceEvents(vertx, node.nodeName(), metrics);
    SharedBreakers breakers = new SharedBreakers(context, node.nodeName(), maps.breakers(), events, metrics);
    Map<String, EndpointGuard> all = new LinkedHashMap<>();
    Map<String, EndpointGuard> probed = new LinkedHashMap<>();
    List<HealthProber.Target> targets = new ArrayList<>();
    settings.forEach((proxy, s) -> {
      ResilienceFilter policy = assemble(node.proxies().get(proxy), s, breakers, metrics);
      policies.put(proxy, policy);
      lastRetryCounts.put(policy, new long[3]);
      for (EndpointGuard g : policy.guards()) {
        all.put(g.key(), g);
        if (s.health() != null) {
          probed.put(g.key(), g);
          targets.add(new HealthProber.Target(g, s.health()));
        }
      }
      node.proxies().get(proxy).addAttemptFilter(policy, true);
    });
    SharedHealth health = new SharedHealth(context, maps.health(), probed);
    maintenance = new Maintenance(context, node.nodeName(), maps.maintenance(), events, all);
    List<MessageConsumer<JsonObject>> consumers = List.of(
        vertx.eventBus().<JsonObject>consumer(EventAddresses.BREAKERS, m -> breakers.onMessage(m.body())),
        vertx.eventBus().<JsonObject>consumer(EventAddresses.HEALTH, m -> health.onMessage(m.body())),
        vertx.eventBus().<JsonObject>consumer(EventAddresses.MAINTENANCE, m -> maintenance.onMessage(m.body())));
    // Listen first, then read the maps: a change made in between is heard, and the newest state wins either way.
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .compose(v -> Future.all(breakers.load(), health.load(), maintenance.load()))
        .onSuccess(v -> {
          vertx.setPeriodic(1000, id -> tick());
          if (!targets.isEmpty()) {
            prober = new HealthProber(vertx, context, node.nodeName(), maps.health(), targets, events, metrics);
            election = new ProberElection(context, hz, prober::start, prober::stop);
            election.start();
          }
        });
  }

  @Override
  public Future<?> stop() {
    if (election != null) {
      election.stop();
    }
    return Future.succeededFuture();
  }

  private ResilienceFilter assemble(ProxyRuntime runtime, ResilienceSettings s, SharedBreakers breakers,
                                    ResilienceMetrics metrics) {
    Duration response = runtime.config().timeouts().response();
    // A half-open trial is an ordinary request: give it the time one may take before counting it failed.
    long trialTimeout = runtime.config().timeouts().connect().toMillis()
        + (response.isZero() ? 60_000 : response.toMillis()) + 1_000;
    List<EndpointGuard> guards = new ArrayList<>();
    for (UpstreamEndpoint e : runtime.endpoints()) {
      String key = EndpointGuard.key(runtime.name(), e.label());
      EndpointBreaker breaker = s.breaker() == null ? null
          : new EndpointBreaker(vertx, key, s.breaker(), trialTimeout, breakers);
      OutlierTracker outlier = s.outlier().enabled() ? new OutlierTracker(s.outlier()) : null;
      EndpointGuard guard = new EndpointGuard(runtime.name(), e, breaker, outlier);
      if (breaker != null) {
        breakers.register(guard, s.breaker().shared());
      }
      metrics.endpoint(guard);
      guards.add(guard);
    }
    RetryDecider retry = s.retry() == null ? null
        : new RetryDecider(s.retry(), new RetryBudget(s.retry().budget()));
    return new ResilienceFilter(vertx, runtime, s, guards, retry, events,
        metrics.proxy(runtime.name(), retry == null ? null : retry.budget()));
  }

  /** Slides the retry budgets and reports the last second's retries. */
  private void tick() {
    policies.values().forEach(ResilienceFilter::tick);
    lastRetryCounts.forEach((policy, last) -> {
      RetryDecider retry = policy.retry();
      if (retry == null) {
        return;
      }
      RetryBudget b = retry.budget();
      long retries = b.retries();
      long refused = b.exhausted();
      long requests = b.requests();
      if (retries != last[0] || refused != last[1]) {
        events.retries(policy.proxy(), retries - last[0], refused - last[1], requests - last[2]);
      }
      last[0] = retries;
      last[1] = refused;
      last[2] = requests;
    });
  }

  ResilienceFilter policy(String proxy) {
    return policies.get(proxy);
  }

  Maintenance maintenance() {
    return maintenance;
  }

  /** Whether this node is the elected prober right now (the election runs on this verticle's context). */
  boolean probing() {
    return election != null && election.probing();
  }

  String nodeName() {
    return node.nodeName();
  }
}
