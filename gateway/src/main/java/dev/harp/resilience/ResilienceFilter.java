package dev.harp.resilience;

import dev.harp.config.ProxyConfig;
import dev.harp.engine.EndpointPool;
import dev.harp.engine.ProxyFailure;
import dev.harp.spi.AttemptResult;
import dev.harp.spi.AttemptVerdict;
import dev.harp.spi.Attachments;
import dev.harp.spi.Endpoint;
import dev.harp.spi.EndpointChoice;
import dev.harp.spi.Exchange;
import dev.harp.spi.Failure;
import dev.harp.spi.Filter;
import io.vertx.core.Vertx;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One proxy's resilience on this node, a filter at the attempt phase like any other ({@link Filter#chooseEndpoint},
 * {@link Filter#onAttempt}): admits only the endpoints their guards admit (health, maintenance, ejection, open
 * circuits; the balancer then picks within the exchange's pool, one not tried yet where one exists), claims a
 * half-open circuit's single trial for the endpoint it gets; feeds every outcome to the endpoint's outlier tracker
 * and circuit breaker; and lets {@link RetryDecider} judge failed attempts. It sits next to the balancer.
 *
 * <p>Cost on the request path when all is well: a few volatile reads per pick, one striped-counter add per request
 * (the budget), and on a 2xx answer one array read and the outlier tracker's volatile read.
 */
final class ResilienceFilter implements Filter {

  /** Told about ejections this policy makes (events, metrics). */
  interface Ejections {
    void ejected(EndpointGuard guard, long millis);

    void returned(EndpointGuard guard);

    void skipped(EndpointGuard guard, String why);
  }

  private final Vertx vertx;
  private final ProxyConfig config;
  private final ResilienceSettings settings;
  private final EndpointGuard[] guards;
  /** The guard of each of the proxy's endpoints, by the engine's endpoint object (see FilterContext.endpoints). */
  private final Map<Endpoint, EndpointGuard> byEndpoint = new IdentityHashMap<>();
  private final RetryDecider retry;
  private final Ejections ejections;
  private final ResilienceMetrics.ProxyMeters meters;
  private final Predicate<Endpoint> usable;

  ResilienceFilter(Vertx vertx, ProxyConfig config, ResilienceSettings settings, List<EndpointGuard> guards,
                   RetryDecider retry, Ejections ejections, ResilienceMetrics.ProxyMeters meters) {
    this.vertx = vertx;
    this.config = config;
    this.settings = settings;
    this.guards = guards.toArray(EndpointGuard[]::new);
    for (EndpointGuard g : this.guards) {
      byEndpoint.put(g.endpoint().endpoint(), g);
    }
    this.retry = retry;
    this.ejections = ejections;
    this.meters = meters;
    this.usable = e -> guard(e).admits();
  }

  @Override
  public long bodyReplayLimit(Exchange ex) {
    return retry != null && retry.retriesMethod(ex.method().name())
        ? settings.retry().bufferBodyUpTo() : 0;
  }

  @Override
  public Endpoint chooseEndpoint(Exchange exchange, EndpointChoice choice) {
    if (choice.attempt() == 0 && retry != null) {
      retry.budget().request();
    }
    return pick(exchange, choice);
  }

  /** The balancer's pick, claiming the single trial of a half-open circuit; one lost to another request is skipped. */
  private Endpoint pick(Exchange ex, EndpointChoice choice) {
    Predicate<Endpoint> f = usable;
    for (int i = 0; i <= guards.length; i++) {
      Endpoint chosen = choice.pick(f);
      if (chosen == null) {
        return null;
      }
      EndpointBreaker breaker = guard(chosen).breaker();
      if (breaker == null || !breaker.needsTrial() || breaker.claimTrial(ex)) {
        return chosen;
      }
      Predicate<Endpoint> before = f;
      f = e -> e != chosen && before.test(e);
    }
    return null;
  }

  /** The guard of one of this proxy's endpoints (the chooser and the results hand out only those). */
  private EndpointGuard guard(Endpoint endpoint) {
    EndpointGuard g = byEndpoint.get(endpoint);
    if (g == null) {
      throw new IllegalStateException("not an endpoint of proxy '" + config.name() + "': " + endpoint.label());
    }
    return g;
  }

  /** Lists only the endpoints the exchange could have gone to: its named pool's, or the primary and fallback ones. */
  @Override
  public Failure unavailable(Exchange exchange) {
    String pool = exchange.get(Attachments.UPSTREAM_POOL);
    if (pool != null && !config.upstream().poolNames().contains(pool)) {
      return new Failure(ProxyFailure.NO_UPSTREAM.failureType(), EndpointPool.undeclared(config.name(), pool), 0);
    }
    StringBuilder why = new StringBuilder(pool == null ? "no upstream endpoint can take the request:"
        : "no endpoint of upstream pool '" + pool + "' can take the request:");
    long circuitWait = Long.MAX_VALUE;
    long otherWait = Long.MAX_VALUE;
    long now = System.currentTimeMillis();
    for (EndpointGuard g : guards) {
      EndpointInfo e = g.endpoint();
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
      return new Failure(ProxyFailure.CIRCUIT_OPEN.failureType(), why.toString(), seconds(circuitWait));
    }
    return new Failure(ProxyFailure.NO_UPSTREAM.failureType(), why.toString(),
        otherWait == Long.MAX_VALUE ? 0 : seconds(otherWait));
  }

  private static long seconds(long millis) {
    return Math.max(1, (millis + 999) / 1000);
  }

  @Override
  public AttemptVerdict onAttempt(Exchange exchange, AttemptResult result) {
    EndpointGuard guard = guard(result.endpoint());
    int status = result.status();
    if (status == 0) {
      failed(exchange, guard);
      if (!result.retryable() || retry == null) {
        return AttemptVerdict.ACCEPT;
      }
      return verdict(retry.decide(exchange.method().name(), result.number(),
          new AttemptOutcome.Failed(condition(ProxyFailure.ofSlug(result.failure())), result.sent())));
    }
    if (status >= 500) {
      failed(exchange, guard);
    } else {
      guard.success(exchange);
    }
    if (!result.retryable() || retry == null || !retry.retriesStatus(status)) {
      return AttemptVerdict.ACCEPT;
    }
    long retryAfter = Backoff.retryAfterMillis(result.headers().get("retry-after"), System.currentTimeMillis());
    return verdict(retry.decide(exchange.method().name(), result.number(),
        new AttemptOutcome.Responded(status, retryAfter)));
  }

  private AttemptVerdict verdict(RetryDecision decision) {
    if (decision instanceof RetryDecision.Retry r) {
      meters.retried(r.reason());
      return AttemptVerdict.retry(r.delayMillis(), r.reason());
    }
    return AttemptVerdict.ACCEPT;
  }

  static RetrySettings.Condition condition(ProxyFailure failure) {
    if (failure == null) {
      return null;
    }
    return switch (failure) {
      case UPSTREAM_CONNECT_FAILED, UPSTREAM_CONNECT_TIMEOUT -> RetrySettings.Condition.CONNECT_FAILURE;
      case UPSTREAM_CLOSED, UPSTREAM_PROTOCOL_ERROR -> RetrySettings.Condition.RESET;
      case UPSTREAM_RESPONSE_TIMEOUT -> RetrySettings.Condition.TIMEOUT;
      default -> null;
    };
  }

  private void failed(Exchange ex, EndpointGuard guard) {
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
    return config.name();
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
