package dev.harp.resilience;

import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The active health probes, made only on the elected node (see {@link ProberElection}). Each endpoint of each
 * proxy with a {@code health:} block is probed every interval; each result is folded into the endpoint's record in
 * the cluster map by an entry processor (so thresholds count across prober changes), and the new record is
 * published on {@code harp.health}. A probe never overlaps the previous one of its endpoint.
 */
final class HealthProber {

  private static final Logger LOG = LoggerFactory.getLogger(HealthProber.class);

  record Target(EndpointGuard guard, HealthSettings settings) {
  }

  private final Vertx vertx;
  private final Context context;
  private final String node;
  private final IMap<String, HealthRecord> map;
  private final List<Target> targets;
  private final ResilienceEvents events;
  private final ResilienceMetrics metrics;
  private final List<Long> timers = new ArrayList<>();
  private final Set<Target> inFlight = new HashSet<>();
  private HttpClient client;
  private boolean running;

  HealthProber(Vertx vertx, Context context, String node, IMap<String, HealthRecord> map,
               ResilienceEvents events, ResilienceMetrics metrics) {
    this.vertx = vertx;
    this.context = context;
    this.node = node;
    this.map = map;
    this.targets = new ArrayList<>();
    this.events = events;
    this.metrics = metrics;
  }

  /** On this prober's context. The first round starts at once: a new prober must not leave a gap. */
  void start() {
    if (running) {
      return;
    }
    running = true;
    // No keep-alive: each probe makes a fresh connection, as a new client would.
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false), new PoolOptions()
        .setHttp1MaxSize(Math.max(1, targets.size())));
    LOG.info("{} is the health prober now: {} endpoints", node, targets.size());
    targets.forEach(this::schedule);
  }

  /**
   * On this prober's context: the endpoints of a proxy whose resilience was created after the others. Probed at
   * once when this node probes already (through the client it has: its pool holds one connection per endpoint known
   * at its start, and a probe beyond that waits for one, at most a probe's timeout).
   */
  void add(List<Target> more) {
    targets.addAll(more);
    if (running) {
      more.forEach(this::schedule);
    }
  }

  private void schedule(Target target) {
    probe(target);
    timers.add(vertx.setPeriodic(target.settings().interval().toMillis(), id -> probe(target)));
  }

  void stop() {
    if (!running) {
      return;
    }
    running = false;
    timers.forEach(vertx::cancelTimer);
    timers.clear();
    inFlight.clear();
    client.close();
    LOG.info("{} stopped probing", node);
  }

  private void probe(Target target) {
    if (!running || !inFlight.add(target)) {
      return;
    }
    EndpointInfo e = target.guard().endpoint();
    HealthSettings s = target.settings();
    long timeout = s.timeout().toMillis();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(s.method())).setHost(e.host())
        .setPort(e.port()).setSsl(e.tls()).setURI(e.basePath() + s.path()).setConnectTimeout(timeout)
        .setIdleTimeout(timeout).putHeader("User-Agent", "harp-health-probe");
    HttpClient probing = client;
    // Nested compose keeps the body read on the response's own callback (vert.x #4705).
    probing.request(options)
        .compose(req -> req.send().compose(resp -> resp.body().map(body -> resp.statusCode())))
        .timeout(timeout, TimeUnit.MILLISECONDS)
        .onComplete(ar -> {
          inFlight.remove(target);
          if (!running || probing != client) {
            return;
          }
          int status = ar.succeeded() ? ar.result() : 0;
          boolean ok = ar.succeeded() && s.expects(status);
          String error = ar.failed() ? describe(ar.cause()) : ok ? null : "unexpected status " + status;
          record(target, ok, status, error);
        });
  }

  private void record(Target target, boolean ok, int status, String error) {
    EndpointGuard guard = target.guard();
    HealthSettings s = target.settings();
    metrics.probe(guard, ok);
    long at = System.currentTimeMillis();
    ClusterUpdates.Probe update = new ClusterUpdates.Probe(ok, status, error, at, node, s.healthyThreshold(),
        s.unhealthyThreshold());
    Hz.async(context, () -> map.submitToKey(guard.key(), update))
        .onSuccess(record -> events.health(guard, record, record.changedAt() == at))
        .onFailure(err -> LOG.warn("could not record probe of {}: {}", guard.key(), err.toString()));
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }
}
