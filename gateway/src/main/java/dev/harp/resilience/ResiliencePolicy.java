package dev.harp.resilience;

import dev.harp.engine.EndpointFilter;
import dev.harp.engine.EndpointPool;
import dev.harp.engine.ProxyExchange;
import dev.harp.engine.ProxyFailure;
import dev.harp.engine.ProxyRuntime;
import dev.harp.engine.UpstreamEndpoint;
import dev.harp.engine.UpstreamPolicy;
import dev.harp.engine.Verdict;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;

import java.util.List;

/**
 * One proxy's {@link UpstreamPolicy} on this node: picks among the endpoints their guards admit (the named pool a
 * filter routed the exchange to; else the primary pool, then fallback), a different one for each retry where one
 * exists; feeds every outcome to the endpoint's outlier tracker and circuit breaker; and lets {@link RetryDecider}
 * judge failed attempts.
 *
 * <p>Cost on the request path when all is well: a few volatile reads per pick, one striped-counter add per request
 * (the budget), and on a 2xx answer one array read and the outlier tracker's volatile read.
 */
final class ResiliencePolicy implements UpstreamPolicy {

  /** Told about ejections this policy makes (events, metrics). */
  interface Ejections {
    void ejected(EndpointGuard guard, long millis);

    void returned(EndpointGuard guard);

    void skipped(EndpointGuard guard, String why);
  }

  private final Vertx vertx;
  private final ProxyRuntime runtime;
  private final ResilienceSettings settings;
  private final EndpointGuard[] guards;
  private final RetryDecider retry;
  private final Ejections ejections;
  private final ResilienceMetrics.ProxyMeters meters;
  private final EndpointFilter usable;

  ResiliencePolicy(Vertx vertx, ProxyRuntime runtime, ResilienceSettings settings, List<EndpointGuard> guards,
                   RetryDecider retry, Ejections ejections, ResilienceMetrics.ProxyMeters meters) {
    this.vertx = vertx;
    this.runtime = runtime;
    this.settings = settings;
    this.guards = guards.toArray(EndpointGuard[]::new);
    this.retry = retry;
    this.ejections = ejections;
    this.meters = meters;
    EndpointGuard[] byId = this.guards;
    this.usable = e -> byId[e.id()].admits();
  }

  @Override
  public long bodyReplayLimit(ProxyExchange ex) {
    return retry != null && retry.retriesMethod(ex.request().method().name())
        ? settings.retry().bufferBodyUpTo() : 0;
  }

  @Override
  public UpstreamEndpoint select(ProxyExchange ex, int attempt, List<UpstreamEndpoint> tried) {
    if (attempt == 0 && retry != null) {
      retry.budget().request();
    }
    if (tried.isEmpty()) {
      return pick(ex, usable, false);
    }
    UpstreamEndpoint fresh = pick(ex, e -> !tried.contains(e) && usable.admits(e), true);
    // Every available endpoint was tried already: try again where it is still allowed.
    return fresh != null ? fresh : pick(ex, usable, true);
  }

  /** The balancer's pick, claiming the single trial of a half-open circuit; one lost to another request is skipped. */
  private UpstreamEndpoint pick(ProxyExchange ex, EndpointFilter filter, boolean retry) {
    EndpointFilter f = filter;
    for (int i = 0; i <= guards.length; i++) {
      // The exchange's pool (a named one a filter chose, else primary then fallback) for every attempt.
      UpstreamEndpoint chosen = retry ? runtime.pickForRetry(ex, f) : runtime.pick(ex, f);
      if (chosen == null) {
        return null;
      }
      EndpointBreaker breaker = guards[chosen.id()].breaker();
      if (breaker == null || !breaker.needsTrial() || breaker.claimTrial(ex)) {
        return chosen;
      }
      EndpointFilter before = f;
      f = e -> e != chosen && before.admits(e);
    }
    return null;
  }

  /** Lists only the endpoints the exchange could have gone to: its named pool's, or the primary and fallback ones. */
  @Override
  public Unavailable unavailable(ProxyExchange ex) {
    String pool = ex.upstreamPool();
    if (pool != null && runtime.pool(pool) == null) {
      return new Unavailable(ProxyFailure.NO_UPSTREAM, EndpointPool.undeclared(runtime.name(), pool), 0);
    }
    StringBuilder why = new StringBuilder(pool == null ? "no upstream endpoint can take the request:"
        : "no endpoint of upstream pool '" + pool + "' can take the request:");
    long circuitWait = Long.MAX_VALUE;
    long otherWait = Long.MAX_VALUE;
    long now = System.currentTimeMillis();
    for (EndpointGuard g : guards) {
      UpstreamEndpoint e = g.endpoint();
      if (pool == null ? e.inNamedPool() : !pool.equals(e.pool())) {
        continue;
      }
      String reason = g.whyNot();
      if (reason == null) {
        reason = "tried";
      }
      why.append(' ').append(g.endpoint().label()).append(" (").append(reason).append("),");
      if (g.onlyCircuitOpen()) {
        circuitWait = Math.min(circuitWait, g.breaker().millisUntilTrial());
      } else if (g.override() == EndpointGuard.Override.NONE && g.ejected()) {
        otherWait = Math.min(otherWait, g.ejectedUntilMillis() - now);
      } else if (g.override() == EndpointGuard.Override.NONE && !g.healthy() && settings.health() != null) {
        otherWait = Math.min(otherWait, settings.health().interval().toMillis()
            * settings.health().healthyThreshold());
      }
    }
    why.setLength(why.length() - 1);
    if (circuitWait != Long.MAX_VALUE) {
      return new Unavailable(ProxyFailure.CIRCUIT_OPEN, why.toString(), seconds(circuitWait));
    }
    return new Unavailable(ProxyFailure.NO_UPSTREAM, why.toString(),
        otherWait == Long.MAX_VALUE ? 0 : seconds(otherWait));
  }

  private static long seconds(long millis) {
    return Math.max(1, (millis + 999) / 1000);
  }

  @Override
  public Verdict onResponse(ProxyExchange ex, UpstreamEndpoint endpoint, int attempt, boolean retryable,
                            HttpClientResponse response) {
    int status = response.statusCode();
    EndpointGuard guard = guards[endpoint.id()];
    if (status >= 500) {
      failed(ex, guard);
    } else {
      guard.success(ex);
    }
    if (!retryable || retry == null || !retry.retriesStatus(status)) {
      return Verdict.DELIVER;
    }
    long retryAfter = Backoff.retryAfterMillis(response.getHeader("retry-after"), System.currentTimeMillis());
    return verdict(retry.decide(ex.request().method().name(), attempt,
        new AttemptOutcome.Responded(status, retryAfter)));
  }

  @Override
  public Verdict onFailure(ProxyExchange ex, UpstreamEndpoint endpoint, int attempt, boolean retryable,
                           ProxyFailure failure, boolean sent) {
    failed(ex, guards[endpoint.id()]);
    if (!retryable || retry == null) {
      return Verdict.DELIVER;
    }
    return verdict(retry.decide(ex.request().method().name(), attempt,
        new AttemptOutcome.Failed(condition(failure), sent)));
  }

  private Verdict verdict(RetryDecision decision) {
    if (decision instanceof RetryDecision.Retry r) {
      meters.retried(r.reason());
      return new Verdict.Retry(r.delayMillis(), r.reason());
    }
    return Verdict.DELIVER;
  }

  static RetrySettings.Condition condition(ProxyFailure failure) {
    return switch (failure) {
      case UPSTREAM_CONNECT_FAILED, UPSTREAM_CONNECT_TIMEOUT -> RetrySettings.Condition.CONNECT_FAILURE;
      case UPSTREAM_CLOSED, UPSTREAM_PROTOCOL_ERROR -> RetrySettings.Condition.RESET;
      case UPSTREAM_RESPONSE_TIMEOUT -> RetrySettings.Condition.TIMEOUT;
      default -> null;
    };
  }

  private void failed(ProxyExchange ex, EndpointGuard guard) {
    long ejectFor = guard.failure(ex);
    if (ejectFor > 0) {
      eject(guard, ejectFor);
    }
  }

  /** Ejects unless that would put more than {@code maxEjectedPercent} of the endpoint's pool out at once. */
  private void eject(EndpointGuard guard, long millis) {
    synchronized (this) {
      int pool = 0;
      int out = 0;
      for (EndpointGuard g : guards) {
        if (g.endpoint().pool().equals(guard.endpoint().pool())) {
          pool++;
          out += g.ejected() ? 1 : 0;
        }
      }
      if ((out + 1) * 100 > pool * settings.outlier().maxEjectedPercent()) {
        guard.outlier().ejectionSkipped();
        ejections.skipped(guard, out + " of " + pool + " endpoints already ejected (maxEjectedPercent "
            + settings.outlier().maxEjectedPercent() + ")");
        return;
      }
      guard.eject(System.currentTimeMillis() + millis);
    }
    ejections.ejected(guard, millis);
    vertx.setTimer(millis, id -> {
      guard.endEjection();
      ejections.returned(guard);
    });
  }

  /** Once a second, from the node's resilience timer. */
  void tick() {
    if (retry != null) {
      retry.budget().tick();
    }
  }

  String proxy() {
    return runtime.name();
  }

  RetryDecider retry() {
    return retry;
  }

  ResilienceSettings settings() {
    return settings;
  }

  EndpointGuard[] guards() {
    return guards;
  }
}
