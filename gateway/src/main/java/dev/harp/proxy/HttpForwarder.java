package dev.harp.proxy;

import dev.harp.config.ProxyConfig;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;

import java.util.List;

/**
 * Forwards one plain HTTP exchange to an upstream endpoint, streaming both bodies with back-pressure: nothing is
 * buffered beyond the write queues, so a 1 GiB upload or download and a Server-Sent-Events stream pass alike.
 *
 * <p>Written on vertx-core's HttpServer/HttpClient rather than vertx-http-proxy: measured here (bench/) the library's
 * per-request objects, interceptor futures and pipes cost ~40% more CPU per request, and it gives no hook between
 * "upstream chosen" and "head sent" where retries and breakers will sit.
 */
final class HttpForwarder {

  private final ProxyExchange ex;
  private final ProxyRuntime runtime;
  private final HttpServerRequest request;
  private final ProxyConfig config;
  private HttpClientRequest upstream;
  private boolean responseStarted;
  /** Body-idle timer of the response phase, -1 when not armed; see {@link #armBodyIdle}. */
  private long bodyIdleTimer = -1;
  private boolean bodyDataSinceCheck;
  /** The observer that took the response over (it answers the client), or null while relaying. */
  private ResponseObserver takenOverBy;

  private HttpForwarder(ProxyExchange ex, ProxyRuntime runtime) {
    this.ex = ex;
    this.runtime = runtime;
    this.request = ex.request();
    this.config = runtime.config();
  }

  static void forward(ProxyExchange ex, ProxyRuntime runtime, HttpClient client) {
    new HttpForwarder(ex, runtime).start(client);
  }

  private void start(HttpClient client) {
    long maxBody = config.limits().maxBodySize();
    String contentLength = request.getHeader("content-length");
    if (maxBody > 0 && contentLength != null && parseLength(contentLength) > maxBody) {
      ex.fail(ProxyFailure.REQUEST_BODY_TOO_LARGE, "body of " + contentLength + " bytes exceeds " + maxBody, null);
      return;
    }
    UpstreamEndpoint endpoint = runtime.balancer().pick();
    ex.endpoint = endpoint;
    endpoint.acquired();
    RequestOptions options = new RequestOptions()
        .setMethod(request.method())
        .setHost(endpoint.host())
        .setPort(endpoint.port())
        .setSsl(endpoint.tls())
        .setURI(endpoint.basePath().isEmpty() ? ex.upstreamUri() : endpoint.basePath() + ex.upstreamUri())
        .setConnectTimeout(config.timeouts().connect().toMillis());
    ex.upstreamStartNanos = System.nanoTime();
    request.response().closeHandler(v -> clientClosed());
    client.request(options).onComplete(this::onUpstreamRequest);
  }

  private void onUpstreamRequest(AsyncResult<HttpClientRequest> ar) {
    if (ar.failed()) {
      upstreamFailed(ProxyFailure.ofUpstream(ar.cause(), false), describe(ar.cause()), ar.cause());
      return;
    }
    upstream = ar.result();
    if (ex.isCompleted()) {
      resetQuietly(upstream);
      return;
    }
    ForwardedHeaders.toUpstream(request, upstream.headers(), ex.endpoint, config.preserveHost(), ex.requestId());
    if (ex.upstreamHeaderEditor() != null) {
      ex.upstreamHeaderEditor().accept(upstream.headers());
    }
    upstream.response().onComplete(this::onUpstreamResponse);
    String contentLength = request.getHeader("content-length");
    boolean chunked = request.headers().contains("transfer-encoding");
    if (contentLength == null && !chunked) {
      upstream.end();
      armResponseTimeout();
      request.resume();
      return;
    }
    if (contentLength != null) {
      upstream.putHeader("Content-Length", contentLength);
    } else {
      upstream.setChunked(true);
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader("expect"))) {
      // The client waits for 100 before sending its body: let the upstream decide, and relay its 100.
      upstream.continueHandler(v -> request.response().writeContinue());
      upstream.sendHead();
    }
    pumpRequestBody();
  }

  private void pumpRequestBody() {
    long maxBody = config.limits().maxBodySize();
    upstream.drainHandler(v -> request.resume());
    request.handler(chunk -> {
      ex.bytesIn += chunk.length();
      if (maxBody > 0 && ex.bytesIn > maxBody) {
        // Normally refused by the guard's decoder first; kept for connections it does not decode (HTTP/2).
        // Fail before resetting: the reset fails the upstream response, which would answer 502 instead.
        ex.fail(ProxyFailure.REQUEST_BODY_TOO_LARGE, "body exceeds " + maxBody + " bytes", null);
        resetQuietly(upstream);
        return;
      }
      upstream.write(chunk);
      if (upstream.writeQueueFull()) {
        request.pause();
      }
    });
    request.exceptionHandler(t -> {
      // A body the guard refused or a client abort mid-body: the upstream must never see a complete request.
      // Answer first: the reset fails the upstream response, which would otherwise answer 502.
      ex.requestFailed(t);
      resetQuietly(upstream);
    });
    request.endHandler(v -> {
      if (!ex.isCompleted()) {
        upstream.end();
        armResponseTimeout();
      }
    });
    request.resume();
  }

  private void armResponseTimeout() {
    long response = config.timeouts().response().toMillis();
    if (response > 0 && !responseStarted) {
      upstream.idleTimeout(response);
    }
  }

  private void onUpstreamResponse(AsyncResult<HttpClientResponse> ar) {
    if (ar.failed()) {
      upstreamFailed(ProxyFailure.ofUpstream(ar.cause(), false), describe(ar.cause()), ar.cause());
      return;
    }
    if (ex.isCompleted()) {
      return;
    }
    responseStarted = true;
    ex.upstreamHeadNanos = System.nanoTime() - ex.upstreamStartNanos;
    HttpClientResponse upstreamResponse = ar.result();
    // Vert.x cancelled the response timeout when the head arrived. The body-idle timer is ours, not
    // upstream.idleTimeout(): Vert.x cancels a request's timer only at the response head or a failure, so one armed
    // now outlives the exchange and keeps its whole object graph (requests, headers, buffers) reachable until it
    // fires. At 10k req/s and idle 60 s that was ~600k live exchanges and GBs of heap: most of HARP's CPU went to GC.
    armBodyIdle(config.timeouts().idle().toMillis());
    HttpServerResponse response = request.response();
    response.setStatusCode(upstreamResponse.statusCode());
    String message = upstreamResponse.statusMessage();
    if (message != null) {
      response.setStatusMessage(message);
    }
    MultiMap headers = response.headers();
    ForwardedHeaders.toClient(upstreamResponse.headers(), headers, ex.requestId());
    if (runtime.draining()) {
      headers.set("Connection", "close");
    }
    List<ResponseObserver> observers = ex.observers();
    if (observers != null) {
      takenOverBy = headToObservers(observers, upstreamResponse, headers);
      if (takenOverBy != null) {
        headers.clear();
        feedTakenOverBody(upstreamResponse);
        return;
      }
    }
    if (!headers.contains("content-length") && hasBody(upstreamResponse.statusCode())
        && request.version() != HttpVersion.HTTP_1_0) {
      response.setChunked(true);
    }
    relayResponseBody(upstreamResponse, response);
  }

  /** Innermost observer first; the first that takes the response over stops the walk. */
  private static ResponseObserver headToObservers(List<ResponseObserver> observers, HttpClientResponse from,
                                                  MultiMap clientHeaders) {
    for (int i = observers.size() - 1; i >= 0; i--) {
      ResponseObserver o = observers.get(i);
      if (o.onHead(from.statusCode(), from.headers(), clientHeaders)) {
        return o;
      }
    }
    return null;
  }

  /** The client hears nothing from us: the observer that took over gets the body, then answers it itself. */
  private void feedTakenOverBody(HttpClientResponse from) {
    from.handler(chunk -> {
      bodyDataSinceCheck = true;
      takenOverBy.onChunk(chunk);
    });
    from.exceptionHandler(t -> {
      cancelBodyIdle();
      upstreamFailed(ProxyFailure.ofUpstream(t, true), describe(t), t);
    });
    from.endHandler(v -> {
      cancelBodyIdle();
      if (!ex.isCompleted()) {
        takenOverBy.onEnd();
      }
    });
  }

  /**
   * Every upstream-side failure ends here. While nothing has gone to the client, an observer may answer instead
   * (e.g. a stale copy); otherwise the usual problem response, or a closed connection once the head went out.
   */
  private void upstreamFailed(ProxyFailure failure, String detail, Throwable cause) {
    if (ex.isCompleted()) {
      return;
    }
    if (!offerToObservers(failure, cause)) {
      ex.fail(failure, detail, cause);
    }
  }

  /** Innermost observer first; true if one of them answers the client (only while nothing was sent to it). */
  private boolean offerToObservers(ProxyFailure failure, Throwable cause) {
    List<ResponseObserver> observers = ex.observers();
    if (observers == null || request.response().headWritten()) {
      return false;
    }
    if (takenOverBy != null) {
      return takenOverBy.onFailure(failure, cause);
    }
    for (int i = observers.size() - 1; i >= 0; i--) {
      if (observers.get(i).onFailure(failure, cause)) {
        return true;
      }
    }
    return false;
  }

  private void relayResponseBody(HttpClientResponse from, HttpServerResponse to) {
    to.drainHandler(v -> from.resume());
    List<ResponseObserver> observers = ex.observers();
    from.handler(chunk -> {
      bodyDataSinceCheck = true;
      ex.bytesOut += chunk.length();
      if (observers != null) {
        chunkToObservers(observers, chunk);
      }
      to.write(chunk);
      if (to.writeQueueFull()) {
        from.pause();
      }
    });
    from.exceptionHandler(t -> {
      cancelBodyIdle();
      upstreamFailed(ProxyFailure.ofUpstream(t, true), describe(t), t);
    });
    from.endHandler(v -> {
      cancelBodyIdle();
      if (ex.isCompleted()) {
        return;
      }
      if (observers != null) {
        for (int i = observers.size() - 1; i >= 0; i--) {
          observers.get(i).onEnd();
        }
      }
      if (to.isChunked() && !from.trailers().isEmpty()) {
        to.trailers().addAll(from.trailers());
      }
      to.end();
      ex.complete(to.getStatusCode(), null);
    });
  }

  private static void chunkToObservers(List<ResponseObserver> observers, Buffer chunk) {
    for (int i = observers.size() - 1; i >= 0; i--) {
      observers.get(i).onChunk(chunk);
    }
  }

  /** Fails the exchange when the upstream sends no body bytes for {@code idleMs}; re-checked every idleMs. */
  private void armBodyIdle(long idleMs) {
    if (idleMs <= 0) {
      return;
    }
    bodyIdleTimer = Vertx.currentContext().owner().setTimer(idleMs, id -> {
      bodyIdleTimer = -1;
      if (ex.isCompleted()) {
        return;
      }
      if (bodyDataSinceCheck) {
        bodyDataSinceCheck = false;
        armBodyIdle(idleMs);
        return;
      }
      // Fail first: the reset's own exception would otherwise be reported as "upstream closed".
      upstreamFailed(ProxyFailure.UPSTREAM_IDLE_TIMEOUT, "no bytes from upstream for " + idleMs + " ms", null);
      upstream.reset();
    });
  }

  private void cancelBodyIdle() {
    if (bodyIdleTimer != -1) {
      Vertx.currentContext().owner().cancelTimer(bodyIdleTimer);
      bodyIdleTimer = -1;
    }
  }

  private void clientClosed() {
    cancelBodyIdle();
    if (!ex.isCompleted()) {
      if (upstream != null) {
        resetQuietly(upstream);
      }
      ex.complete(request.response().headWritten() ? request.response().getStatusCode() : 0,
          ProxyFailure.CLIENT_ABORTED);
    }
  }

  /**
   * Abandons the upstream request on purpose. Without an exception handler Vert.x logs the reset at ERROR, and a
   * client could then fill the log by sending bodies the guard refuses.
   */
  private static void resetQuietly(HttpClientRequest upstream) {
    upstream.exceptionHandler(t -> { });
    upstream.reset();
  }

  private boolean hasBody(int status) {
    return request.method() != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }
}
