package dev.harp.resilience;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.harp.config.ProxyConfig;
import dev.harp.observe.EventAddresses;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
 * The resilience feature on one node. Its start listens to its peers' announcements and starts the once-a-second
 * tick; then each proxy with resilience is {@link #add added}: its filter is built, the cluster's current state of
 * its endpoints read, and its endpoints handed to the health prober, whose election starts with the first. Its
 * context is where every Hazelcast result and bus message of the feature is handled.
 */
final class ResilienceVerticle extends VerticleBase {

  /** The feature's cluster maps; getting a map proxy may create the distributed object, so it is not on a loop. */
  record Maps(IMap<String, BreakerRecord> breakers, IMap<String, HealthRecord> health,
              IMap<String, OverrideRecord> maintenance) {

    /** Blocks on Hazelcast: never on an event loop. */
    static Maps of(HazelcastInstance hz) {
      return new Maps(hz.getMap(SharedBreakers.MAP), hz.getMap(SharedHealth.MAP), hz.getMap(Maintenance.MAP));
    }
  }

  private final String nodeName;
  private final HazelcastInstance hazelcast;
  private final MeterRegistry registry;
  private final Maps maps;
  // Read by the admin API from the admin server's thread, hence concurrent and volatile.
  private final Map<String, ResilienceFilter> policies = new ConcurrentHashMap<>();
  private volatile Maintenance maintenance;
  private volatile ProberElection election;
  /** Touched only on this verticle's context. */
  private final Map<ResilienceFilter, long[]> lastRetryCounts = new LinkedHashMap<>();
  private ResilienceMetrics metrics;
  private ResilienceEvents events;
  private SharedBreakers breakers;
  private SharedHealth health;
  private HealthProber prober;

  ResilienceVerticle(String nodeName, HazelcastInstance hazelcast, MeterRegistry registry, Maps maps) {
    this.nodeName = nodeName;
    this.hazelcast = hazelcast;
    this.registry = registry;
    this.maps = maps;
  }

  @Override
  public Future<?> start() {
    metrics = new ResilienceMetrics(registry);
    events = new ResilienceEvents(vertx, nodeName, metrics);
    breakers = new SharedBreakers(context, nodeName, maps.breakers(), events, metrics);
    health = new SharedHealth(context, maps.health());
    maintenance = new Maintenance(context, nodeName, maps.maintenance(), events);
    List<MessageConsumer<JsonObject>> consumers = List.of(
        vertx.eventBus().<JsonObject>consumer(EventAddresses.BREAKERS, m -> breakers.onMessage(m.body())),
        vertx.eventBus().<JsonObject>consumer(EventAddresses.HEALTH, m -> health.onMessage(m.body())),
        vertx.eventBus().<JsonObject>consumer(EventAddresses.MAINTENANCE, m -> maintenance.onMessage(m.body())));
    // Listen first, then read each proxy's state as it is added: a change made in between is heard, and the newest
    // state wins either way.
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .onSuccess(v -> vertx.setPeriodic(1000, id -> tick()));
  }

  @Override
  public Future<?> stop() {
    if (election != null) {
      election.stop();
    }
    return Future.succeededFuture();
  }

  /**
   * Builds a proxy's filter and reads the cluster's state of its endpoints, on this verticle's context; completes
   * once read, so the proxy starts with what its peers know.
   */
  Future<ResilienceFilter> add(ProxyConfig config, ResilienceSettings s, List<EndpointInfo> endpoints) {
    Promise<ResilienceFilter> added = Promise.promise();
    context.runOnContext(v -> addHere(config, s, endpoints).onComplete(added));
    return added.future();
  }

  private Future<ResilienceFilter> addHere(ProxyConfig config, ResilienceSettings s, List<EndpointInfo> endpoints) {
    ResilienceFilter policy = assemble(config, s, endpoints);
    policies.put(config.name(), policy);
    lastRetryCounts.put(policy, new long[3]);
    List<EndpointGuard> guards = List.of(policy.guards());
    List<EndpointGuard> probed = s.health() == null ? List.of() : guards;
    health.add(probed);
    maintenance.add(guards);
    return Future.all(breakers.load(guards), health.load(probed), maintenance.load(guards))
        .map(v -> {
          if (!probed.isEmpty()) {
            probe(probed.stream().map(g -> new HealthProber.Target(g, s.health())).toList());
          }
          return policy;
        });
  }

  /** Hands endpoints to the prober; the first ones start the election of the node that probes. */
  private void probe(List<HealthProber.Target> targets) {
    if (prober == null) {
      prober = new HealthProber(vertx, context, nodeName, maps.health(), events, metrics);
      prober.add(targets);
      election = new ProberElection(context, hazelcast, prober::start, prober::stop);
      election.start();
    } else {
      prober.add(targets);
    }
  }

  private ResilienceFilter assemble(ProxyConfig config, ResilienceSettings s, List<EndpointInfo> endpoints) {
    Duration response = config.timeouts().response();
    // A half-open trial is an ordinary request: give it the time one may take before counting it failed.
    long trialTimeout = config.timeouts().connect().toMillis()
        + (response.isZero() ? 60_000 : response.toMillis()) + 1_000;
    List<EndpointGuard> guards = new ArrayList<>();
    for (EndpointInfo e : endpoints) {
      String key = EndpointGuard.key(config.name(), e.label());
      EndpointBreaker breaker = s.breaker() == null ? null
          : new EndpointBreaker(vertx, key, s.breaker(), trialTimeout, breakers);
      OutlierTracker outlier = s.outlier().enabled() ? new OutlierTracker(s.outlier()) : null;
      EndpointGuard guard = new EndpointGuard(config.name(), e, breaker, outlier);
      if (breaker != null) {
        breakers.register(guard, s.breaker().shared());
      }
      metrics.endpoint(guard);
      guards.add(guard);
    }
    RetryDecider retry = s.retry() == null ? null
        : new RetryDecider(s.retry(), new RetryBudget(s.retry().budget()));
    return new ResilienceFilter(vertx, config, s, guards, retry, events,
        metrics.proxy(config.name(), retry == null ? null : retry.budget()));
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
    ProberElection e = election;
    return e != null && e.probing();
  }

  String nodeName() {
    return nodeName;
  }
}
