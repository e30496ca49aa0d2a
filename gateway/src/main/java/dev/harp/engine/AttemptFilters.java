package dev.harp.engine;

import dev.harp.spi.AttemptResult;
import dev.harp.spi.AttemptVerdict;
import dev.harp.spi.Endpoint;
import dev.harp.spi.EndpointChoice;
import dev.harp.spi.Failure;
import dev.harp.spi.Filter;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A proxy's {@link UpstreamPolicy} made of the filters that act at the attempt phase (HARP's resilience, plugins):
 * their {@link Filter#chooseEndpoint}s stand around the balancer, outermost first; every {@link Filter#onAttempt}
 * hears every attempt, the first retry wins; the largest {@link Filter#bodyReplayLimit} applies; the first
 * {@link Filter#unavailable} answer explains an attempt no endpoint could take. A proxy without such filters keeps
 * {@link UpstreamPolicy#direct}, which costs nothing of this.
 */
final class AttemptFilters implements UpstreamPolicy {

  private static final Predicate<Endpoint> ANY = e -> true;

  private final ProxyRuntime runtime;
  private final Filter[] choosers;
  private final Filter[] judges;
  private final Filter[] explainers;
  private final Filter[] replayers;
  private final UpstreamPolicy direct;

  /** @param filters outermost first */
  AttemptFilters(ProxyRuntime runtime, List<Filter> filters) {
    this.runtime = runtime;
    this.choosers = implementing(filters, "chooseEndpoint", dev.harp.spi.Exchange.class, EndpointChoice.class);
    this.judges = implementing(filters, "onAttempt", dev.harp.spi.Exchange.class, AttemptResult.class);
    this.explainers = implementing(filters, "unavailable", dev.harp.spi.Exchange.class);
    this.replayers = implementing(filters, "bodyReplayLimit", dev.harp.spi.Exchange.class);
    this.direct = UpstreamPolicy.direct(runtime);
  }

  /** Whether {@code filter} acts at the attempt phase at all. */
  static boolean actsOnAttempts(Filter filter) {
    List<Filter> one = List.of(filter);
    return implementing(one, "chooseEndpoint", dev.harp.spi.Exchange.class, EndpointChoice.class).length > 0
        || implementing(one, "onAttempt", dev.harp.spi.Exchange.class, AttemptResult.class).length > 0
        || implementing(one, "bodyReplayLimit", dev.harp.spi.Exchange.class).length > 0;
  }

  @Override
  public long bodyReplayLimit(ProxyExchange exchange) {
    long limit = 0;
    for (Filter f : replayers) {
      limit = Math.max(limit, f.bodyReplayLimit(ExchangeView.of(exchange)));
    }
    return limit;
  }

  @Override
  public UpstreamEndpoint select(ProxyExchange exchange, int attempt, List<UpstreamEndpoint> tried) {
    if (choosers.length == 0) {
      return direct.select(exchange, attempt, tried);
    }
    Choice first = new Choice(exchange, attempt, tried, 1, ANY);
    return (UpstreamEndpoint) choosers[0].chooseEndpoint(ExchangeView.of(exchange), first);
  }

  @Override
  public Unavailable unavailable(ProxyExchange exchange) {
    for (Filter f : explainers) {
      Failure why = f.unavailable(ExchangeView.of(exchange));
      if (why != null) {
        return new Unavailable(ProxyFailure.kindOf(why.type()), why.detail(), why.retryAfterSeconds());
      }
    }
    return direct.unavailable(exchange);
  }

  @Override
  public Verdict onResponse(ProxyExchange exchange, UpstreamEndpoint endpoint, int attempt, boolean retryable,
                            HttpClientResponse response) {
    return judge(exchange, new Result(endpoint, attempt, retryable, response.statusCode(), response.headers(),
        null, true));
  }

  @Override
  public Verdict onFailure(ProxyExchange exchange, UpstreamEndpoint endpoint, int attempt, boolean retryable,
                           ProxyFailure failure, boolean sent) {
    return judge(exchange, new Result(endpoint, attempt, retryable, 0, null, failure.slug(), sent));
  }

  private Verdict judge(ProxyExchange exchange, Result result) {
    Verdict verdict = Verdict.DELIVER;
    for (Filter f : judges) {
      AttemptVerdict v = f.onAttempt(ExchangeView.of(exchange), result);
      if (verdict == Verdict.DELIVER && v instanceof AttemptVerdict.Retry retry) {
        verdict = new Verdict.Retry(retry.delayMs(), retry.reason());
      }
    }
    return verdict;
  }

  /**
   * The choice one chooser passes on: to the next chooser, or (past the last) to the balancer, with every
   * predicate the choosers before it gave.
   */
  private final class Choice implements EndpointChoice {
    private final ProxyExchange exchange;
    private final int attempt;
    private final List<UpstreamEndpoint> tried;
    private final int next;
    private final Predicate<Endpoint> admitted;

    Choice(ProxyExchange exchange, int attempt, List<UpstreamEndpoint> tried, int next, Predicate<Endpoint> admitted) {
      this.exchange = exchange;
      this.attempt = attempt;
      this.tried = tried;
      this.next = next;
      this.admitted = admitted;
    }

    @Override
    public int attempt() {
      return attempt;
    }

    @Override
    public List<Endpoint> tried() {
      return List.copyOf(tried);
    }

    @Override
    public Endpoint pick(Predicate<Endpoint> admits) {
      Predicate<Endpoint> both = admitted == ANY ? admits : admits == ANY ? admitted : admitted.and(admits);
      if (next < choosers.length) {
        return choosers[next].chooseEndpoint(ExchangeView.of(exchange),
            new Choice(exchange, attempt, tried, next + 1, both));
      }
      return balancer(both);
    }

    /** The balancer's pick: an endpoint not tried yet where one is admitted (Envoy's previous_hosts). */
    private UpstreamEndpoint balancer(Predicate<Endpoint> admits) {
      if (tried.isEmpty()) {
        return runtime.pick(exchange, admits::test);
      }
      UpstreamEndpoint fresh = runtime.pickForRetry(exchange, e -> !tried.contains(e) && admits.test(e));
      // Every admitted endpoint was tried already: try again where it is still allowed.
      return fresh != null ? fresh : runtime.pickForRetry(exchange, admits::test);
    }
  }

  private record Result(UpstreamEndpoint endpoint, int number, boolean retryable, int status, MultiMap headers,
                        String failure, boolean sent) implements AttemptResult {
  }

  private static Filter[] implementing(List<Filter> filters, String method, Class<?>... params) {
    List<Filter> out = new ArrayList<>();
    for (Filter f : filters) {
      try {
        if (f.getClass().getMethod(method, params).getDeclaringClass() != Filter.class) {
          out.add(f);
        }
      } catch (NoSuchMethodException e) {
        // not a phase of this SPI version
      }
    }
    return out.toArray(Filter[]::new);
  }
}
