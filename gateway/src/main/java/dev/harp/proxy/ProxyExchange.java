package dev.harp.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One request/response exchange as it walks the interceptor chain to the upstream and back. Lives on one event loop;
 * nothing here is thread-safe, nor needs to be.
 */
public final class ProxyExchange {

  private final ProxyRuntime runtime;
  private final HttpClient client;
  private final HttpServerRequest request;
  private final String requestId;
  private final long startNanos = System.nanoTime();
  private final long startMillis = System.currentTimeMillis();
  private final boolean upgrade;
  private int nextInterceptor;
  private Map<String, Object> attributes;
  private String clientAddress;

  UpstreamEndpoint endpoint;
  long upstreamStartNanos;
  long upstreamHeadNanos = -1;
  long bytesIn;
  long bytesOut;
  private boolean completed;

  ProxyExchange(ProxyRuntime runtime, HttpClient client, HttpServerRequest request, boolean upgrade) {
    this.runtime = runtime;
    this.client = client;
    this.request = request;
    this.upgrade = upgrade;
    this.requestId = RequestIds.fromOrNew(request.getHeader(RequestIds.HEADER));
  }

  public HttpServerRequest request() {
    return request;
  }

  public String requestId() {
    return requestId;
  }

  public String proxyName() {
    return runtime.name();
  }

  public boolean isUpgrade() {
    return upgrade;
  }

  /** Per-exchange values features hand to each other (e.g. the consumer an API key named). */
  public Map<String, Object> attributes() {
    if (attributes == null) {
      attributes = new HashMap<>(4);
    }
    return attributes;
  }

  /**
   * The client's address: the TCP peer unless a feature resolved it from a trusted proxy's {@code X-Forwarded-For}
   * (see {@code dev.harp.ratelimit.ClientAddresses}). Observers (events, access log) report this one.
   */
  public String clientAddress() {
    return clientAddress != null ? clientAddress : ForwardedHeaders.clientIp(request.remoteAddress());
  }

  public void clientAddress(String address) {
    this.clientAddress = address;
  }

  /** Passes the exchange to the next interceptor, or to the upstream after the last one. */
  public void proceed() {
    List<ProxyInterceptor> chain = runtime.interceptors();
    if (nextInterceptor < chain.size()) {
      ProxyInterceptor next = chain.get(nextInterceptor++);
      try {
        next.onRequest(this);
      } catch (RuntimeException e) {
        fail(ProxyFailure.INTERNAL_ERROR, "interceptor " + next.getClass().getSimpleName() + " failed", e);
      }
      return;
    }
    if (upgrade) {
      UpgradeTunnel.open(this, runtime, client);
    } else {
      HttpForwarder.forward(this, runtime, client);
    }
  }

  /** Answers the client locally (a cache hit, a 429, a 401): the upstream is not called. */
  public void respond(int status, MultiMap headers, Buffer body) {
    request.resume();
    HttpServerResponse response = request.response().setStatusCode(status);
    if (headers != null) {
      response.headers().addAll(headers);
    }
    response.putHeader(RequestIds.HEADER, requestId).putHeader("Via", ForwardedHeaders.VIA);
    Buffer payload = body == null ? Buffer.buffer() : body;
    response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(payload.length()));
    bytesOut = payload.length();
    response.end(payload);
    complete(status, null);
  }

  /**
   * Refuses the exchange on purpose (a 429, a ban): a problem+json answer with the feature's headers (Retry-After,
   * RateLimit...), recorded with its failure for metrics and events, but not logged, since a limit that bites can
   * refuse thousands of requests a second and the access log and metrics already count them.
   *
   * @param status the failure's own status, or the one a feature's config chose instead (e.g. {@code ban.status});
   *               the problem body carries the same status
   */
  public void reject(ProxyFailure failure, int status, String detail, MultiMap headers) {
    if (completed) {
      return;
    }
    request.resume();
    HttpServerResponse response = request.response();
    if (headers != null) {
      response.headers().addAll(headers);
    }
    Buffer payload = Problems.body(failure, detail, request.path(), requestId).put("status", status).toBuffer();
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, Problems.CONTENT_TYPE)
        .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(payload.length()))
        .putHeader(RequestIds.HEADER, requestId)
        .putHeader("Via", ForwardedHeaders.VIA);
    bytesOut = payload.length();
    response.end(payload);
    complete(status, failure);
  }

  /** Ends the exchange with a problem response (or a closed connection if the response had already started). */
  public void fail(ProxyFailure failure, String detail, Throwable cause) {
    if (completed) {
      return;
    }
    ProxyLog.failure(this, failure, detail, cause);
    request.resume();
    Problems.send(request, failure, detail, requestId, failure.status == 400 || failure.status == 413);
    complete(request.response().ended() ? request.response().getStatusCode() : 0, failure);
  }

  boolean isCompleted() {
    return completed;
  }

  void complete(int status, ProxyFailure failure) {
    if (completed) {
      return;
    }
    completed = true;
    if (endpoint != null) {
      endpoint.released();
    }
    long duration = System.nanoTime() - startNanos;
    String client = clientAddress();
    runtime.completed(new CompletedExchange(runtime.name(), requestId, request.method().name(), request.path(),
        status, failure, endpoint == null ? null : endpoint.label(), startMillis, duration, upstreamHeadNanos,
        bytesIn, bytesOut, client, upgrade));
  }
}
