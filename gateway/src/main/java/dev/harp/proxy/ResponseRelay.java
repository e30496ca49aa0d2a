package dev.harp.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * Relays the upstream response of the attempt whose outcome was delivered: status and headers (hop-by-hop
 * stripped), then the body with back-pressure, under the idle timeout. From here on nothing is retried: a failure
 * can only cut the client connection. This is the response-side seam of the proxy path (where a response hook,
 * e.g. a cache store, sees the head and the body as they pass).
 */
final class ResponseRelay {

  private final ProxyExchange ex;
  private final ProxyRuntime runtime;
  private final UpstreamPolicy policy;
  private final Vertx vertx;
  private final UpstreamEndpoint endpoint;
  private final int attempt;
  private final HttpClientRequest upstream;
  private final long idleMs;
  /** Body-idle timer, -1 when not armed; see {@link #armIdle}. */
  private long idleTimer = -1;
  /** {@code ex.bytesOut} at the last idle check, and when a check last saw it grow (or the head arrived). */
  private long bytesOutAtCheck;
  private long lastProgressNanos;

  ResponseRelay(ProxyExchange ex, ProxyRuntime runtime, UpstreamPolicy policy, Vertx vertx,
                UpstreamEndpoint endpoint, int attempt, HttpClientRequest upstream) {
    this.ex = ex;
    this.runtime = runtime;
    this.policy = policy;
    this.vertx = vertx;
    this.endpoint = endpoint;
    this.attempt = attempt;
    this.upstream = upstream;
    this.idleMs = runtime.config().timeouts().idle().toMillis();
  }

  /** @param attempts attempts the exchange made, this one included */
  void start(HttpClientResponse from, int attempts) {
    ex.upstreamHeadNanos = System.nanoTime() - ex.upstreamStartNanos;
    // Vert.x cancelled the response timeout when the head arrived. The body-idle timer is ours, not
    // upstream.idleTimeout(): Vert.x cancels a request's timer only at the response head or a failure, so one armed
    // now outlives the exchange and keeps its whole object graph (requests, headers, buffers) reachable until it
    // fires. At 10k req/s and idle 60 s that was ~600k live exchanges and GBs of heap: most of HARP's CPU went to GC.
    lastProgressNanos = System.nanoTime();
    armIdle();
    HttpServerRequest request = ex.request();
    HttpServerResponse to = request.response();
    to.setStatusCode(from.statusCode());
    String message = from.statusMessage();
    if (message != null) {
      to.setStatusMessage(message);
    }
    MultiMap headers = to.headers();
    ForwardedHeaders.toClient(from.headers(), headers, ex.requestId());
    if (attempts > 1) {
      // Say what HARP did: this answer came from a retry.
      headers.set("X-Harp-Attempts", Integer.toString(attempts));
    }
    if (runtime.draining()) {
      headers.set("Connection", "close");
    }
    if (!headers.contains("content-length") && hasBody(request.method(), from.statusCode())
        && request.version() != HttpVersion.HTTP_1_0) {
      to.setChunked(true);
    }
    relayBody(from, to);
  }

  private void relayBody(HttpClientResponse from, HttpServerResponse to) {
    to.drainHandler(v -> from.resume());
    from.handler(chunk -> {
      ex.bytesOut += chunk.length();
      to.write(chunk);
      if (to.writeQueueFull()) {
        from.pause();
      }
    });
    from.exceptionHandler(t -> {
      cancelIdle();
      if (!ex.isCompleted()) {
        ProxyFailure failure = ProxyFailure.ofUpstream(t, true);
        policy.onFailure(ex, endpoint, attempt, false, failure, true);
        ex.fail(failure, failure == ProxyFailure.UPSTREAM_IDLE_TIMEOUT ? idleDetail() : HttpForwarder.describe(t), t);
      }
    });
    from.endHandler(v -> {
      cancelIdle();
      if (ex.isCompleted()) {
        return;
      }
      if (to.isChunked() && !from.trailers().isEmpty()) {
        to.trailers().addAll(from.trailers());
      }
      to.end();
      ex.complete(to.getStatusCode(), null);
    });
  }

  /**
   * Fails the exchange when the upstream sends no body bytes for the idle timeout. Checked every quarter of it
   * against the byte count the relay keeps anyway (nothing extra per chunk), so it fires between 1 and 1.25 × idle
   * after the last byte, and {@link #upstreamWentIdle} can tell a stalled upstream from a client that left.
   */
  private void armIdle() {
    if (idleMs <= 0) {
      return;
    }
    idleTimer = vertx.setTimer(Math.max(1, idleMs / 4), id -> {
      idleTimer = -1;
      if (ex.isCompleted()) {
        return;
      }
      long now = System.nanoTime();
      if (ex.bytesOut != bytesOutAtCheck) {
        bytesOutAtCheck = ex.bytesOut;
        lastProgressNanos = now;
      } else if (now - lastProgressNanos >= idleMs * 1_000_000) {
        policy.onFailure(ex, endpoint, attempt, false, ProxyFailure.UPSTREAM_IDLE_TIMEOUT, true);
        // Fail first: the reset's own exception would otherwise be reported as "upstream closed".
        ex.fail(ProxyFailure.UPSTREAM_IDLE_TIMEOUT, idleDetail(), null);
        upstream.reset();
        return;
      }
      armIdle();
    });
  }

  void cancelIdle() {
    if (idleTimer != -1) {
      vertx.cancelTimer(idleTimer);
      idleTimer = -1;
    }
  }

  /**
   * Whether the upstream had been silent for (about) the idle timeout: then a client connection that closes now was
   * closed by the server's own idle timer (same setting, it got there first), and the upstream is to blame.
   */
  boolean upstreamWentIdle() {
    return idleMs > 0 && ex.bytesOut == bytesOutAtCheck
        && System.nanoTime() - lastProgressNanos >= idleMs * 750_000;
  }

  /** The client left (or the server's idle timer closed it): report, then stop the upstream. */
  void clientClosed() {
    cancelIdle();
    boolean idle = upstreamWentIdle();
    if (idle) {
      policy.onFailure(ex, endpoint, attempt, false, ProxyFailure.UPSTREAM_IDLE_TIMEOUT, true);
    }
    HttpServerResponse response = ex.request().response();
    // Complete before resetting: the reset's own exception must not be reported as the upstream's failure.
    ex.complete(response.headWritten() ? response.getStatusCode() : 0,
        idle ? ProxyFailure.UPSTREAM_IDLE_TIMEOUT : ProxyFailure.CLIENT_ABORTED);
    upstream.reset();
  }

  void reset() {
    upstream.reset();
  }

  private String idleDetail() {
    return "no bytes from " + endpoint.label() + " for " + idleMs + " ms (timeouts.idle)";
  }

  private static boolean hasBody(HttpMethod method, int status) {
    return method != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
  }
}
