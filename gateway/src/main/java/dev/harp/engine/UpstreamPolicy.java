package dev.harp.engine;

import io.vertx.core.http.HttpClientResponse;

import java.util.List;

/**
 * How an exchange uses its upstream: which endpoint each attempt goes to, and whether an attempt's outcome is
 * delivered or retried. {@link HttpForwarder} makes the attempts; the policy decides. A proxy with filters at the
 * attempt phase (resilience: health, maintenance, ejection, circuit breakers, retries; plugins) gets
 * {@link AttemptFilters}; without them {@link #direct} makes exactly one attempt to the balancer's pick, as cheap as
 * before attempts existed.
 *
 * <p>Every method runs on the exchange's event loop, on the request path: read shared state, never wait.
 */
public interface UpstreamPolicy {

  /** Why no endpoint can take an attempt; answered as a problem, with {@code Retry-After} when positive. */
  record Unavailable(FailureKind failure, String detail, long retryAfterSeconds) {
  }

  /**
   * How many request-body bytes the forwarder may keep so that a retry can replay a body already sent upstream;
   * 0 keeps none (then only attempts that never sent a byte can be retried). Asked once per exchange with a body.
   */
  long bodyReplayLimit(ProxyExchange exchange);

  /**
   * The endpoint for attempt {@code attempt} (0 = first), or null when none can take it; {@link #unavailable} then
   * says why. {@code tried} holds the endpoints of the earlier attempts: a later attempt (a retry, or a resend after
   * a stale pooled connection, which any policy must serve) should go to one not in it where one is available.
   */
  UpstreamEndpoint select(ProxyExchange exchange, int attempt, List<UpstreamEndpoint> tried);

  Unavailable unavailable(ProxyExchange exchange);

  /**
   * The upstream answered with a response head. {@code retryable} says whether the forwarder could still resend the
   * request (body replayable, nothing sent to the client yet); a {@link Verdict.Retry} is honoured only then.
   */
  Verdict onResponse(ProxyExchange exchange, UpstreamEndpoint endpoint, int attempt, boolean retryable,
                     HttpClientResponse response);

  /**
   * The attempt failed. {@code sent} is false only when no request byte can have reached the upstream (the
   * connection was never obtained). Also called, with {@code retryable} false, when a response that already
   * started streaming to the client breaks: the policy observes it, the verdict is ignored.
   */
  Verdict onFailure(ProxyExchange exchange, UpstreamEndpoint endpoint, int attempt, boolean retryable,
                    ProxyFailure failure, boolean sent);

  /** One attempt per exchange, to the proxy's balancer pick over every endpoint: HARP without resilience. */
  static UpstreamPolicy direct(ProxyRuntime runtime) {
    return new UpstreamPolicy() {
      private final Unavailable none = new Unavailable(ProxyFailure.NO_UPSTREAM, "no upstream endpoint", 1);

      @Override
      public long bodyReplayLimit(ProxyExchange exchange) {
        return 0;
      }

      @Override
      public UpstreamEndpoint select(ProxyExchange exchange, int attempt, List<UpstreamEndpoint> tried) {
        if (attempt == 0) {
          return runtime.pick(exchange, EndpointFilter.ANY);
        }
        // Only a stale-connection resend gets here (this policy never retries): another endpoint where one exists.
        UpstreamEndpoint fresh = runtime.pickForRetry(exchange, e -> !tried.contains(e));
        return fresh != null ? fresh : runtime.pickForRetry(exchange, EndpointFilter.ANY);
      }

      @Override
      public Unavailable unavailable(ProxyExchange exchange) {
        String pool = exchange.upstreamPool();
        // Every endpoint is admitted here, so only a pool name the proxy does not declare gets no endpoint.
        return pool == null ? none
            : new Unavailable(ProxyFailure.NO_UPSTREAM, EndpointPool.undeclared(runtime.name(), pool), 0);
      }

      @Override
      public Verdict onResponse(ProxyExchange exchange, UpstreamEndpoint endpoint, int attempt, boolean retryable,
                                HttpClientResponse response) {
        return Verdict.DELIVER;
      }

      @Override
      public Verdict onFailure(ProxyExchange exchange, UpstreamEndpoint endpoint, int attempt, boolean retryable,
                               ProxyFailure failure, boolean sent) {
        return Verdict.DELIVER;
      }
    };
  }
}
