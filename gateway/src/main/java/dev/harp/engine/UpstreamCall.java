package dev.harp.engine;

import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * One request of an exchange to one endpoint: a forwarded attempt, an upgrade, or a feature's own fetch (the cache's
 * background revalidation). It is the one place where an outcome reaches the {@link UpstreamPolicy} (breakers,
 * outlier detection, retry decisions) and where the endpoint's in-flight count (least-requests balancing) is taken
 * and given back, so no kind of upstream traffic can forget either: a half-open circuit whose single trial went to
 * a background fetch hears how the trial went, like any other.
 *
 * <p>Lives on the exchange's event loop.
 */
final class UpstreamCall {

  final UpstreamEndpoint endpoint;
  /** 0 for a first attempt; retries and stale-connection resends count on in one sequence. */
  final int number;
  private final ProxyExchange ex;
  private final UpstreamPolicy policy;
  /** Set once the connection is obtained. */
  HttpClientRequest request;
  /** Whether {@link #request} went out on a pooled connection that had carried a request before. */
  boolean reused;
  private boolean held = true;

  /** Takes {@code endpoint} for this call: its in-flight count includes the call until {@link #release}. */
  UpstreamCall(ProxyExchange ex, UpstreamPolicy policy, UpstreamEndpoint endpoint, int number) {
    this.ex = ex;
    this.policy = policy;
    this.endpoint = endpoint;
    this.number = number;
    endpoint.acquired();
  }

  /** Request options for {@code method} on {@code uri} (before the endpoint's base path), with the connect timeout. */
  RequestOptions options(HttpMethod method, String uri, long connectTimeoutMs) {
    return new RequestOptions()
        .setMethod(method)
        .setHost(endpoint.host())
        .setPort(endpoint.port())
        .setSsl(endpoint.tls())
        .setURI(endpoint.basePath().isEmpty() ? uri : endpoint.basePath() + uri)
        .setConnectTimeout(connectTimeoutMs);
  }

  /**
   * The endpoint answered with a head; the policy judges it. {@code retryable}: whether the caller could still send
   * the request again (a {@link Verdict.Retry} is honoured only then).
   */
  Verdict head(HttpClientResponse response, boolean retryable) {
    return policy.onResponse(ex, endpoint, number, retryable, response);
  }

  /**
   * The call failed before a head; the policy judges it (a retry is honoured only when {@code retryable}).
   *
   * @param sent false only when no request byte can have reached the endpoint (no connection was obtained)
   */
  Verdict failed(ProxyFailure failure, boolean retryable, boolean sent) {
    return policy.onFailure(ex, endpoint, number, retryable, failure, sent);
  }

  /** The response the policy accepted broke while its body streamed: the policy observes it, nothing is retried. */
  void broke(ProxyFailure failure) {
    policy.onFailure(ex, endpoint, number, false, failure, true);
  }

  /** The call is over (a retry may follow on another call); idempotent. */
  void release() {
    if (held) {
      held = false;
      endpoint.released();
    }
  }
}
