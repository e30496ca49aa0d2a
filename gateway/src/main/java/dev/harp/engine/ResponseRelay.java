package dev.harp.engine;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

import java.util.List;

/**
 * Relays the upstream response of the attempt whose outcome was delivered: status and headers (hop-by-hop
 * stripped), then the body with back-pressure, under the idle timeout. From here on nothing is retried: a failure
 * can only cut the client connection. This is the response-side seam of the proxy path: {@link ResponseObserver}s
 * (the filters' response-head phases, e.g. the cache's) see the head and the body as they pass, may edit the client's headers, or take the response over
 * and answer the client themselves (a 304 answered with the stored body).
 */
final class ResponseRelay {

  private final ProxyExchange ex;
  private final ProxyRuntime runtime;
  private final Vertx vertx;
  /** The attempt whose response this is: told when its body breaks or stalls. */
  private final UpstreamCall call;
  private final HttpClientRequest upstream;
  private final long idleMs;
  /** Body-idle timer, -1 when not armed; see {@link #armIdle}. */
  private long idleTimer = -1;
  /** Body bytes read from the upstream (relayed or fed to an observer that took over): idle progress. */
  private long upstreamBytes;
  /** {@link #upstreamBytes} at the last idle check, and when a check last saw it grow (or the head arrived). */
  private long bytesOutAtCheck;
  private long lastProgressNanos;
  /** When the last idle check ran (or the head arrived). */
  private long lastCheckNanos;
  /** The last body byte arrived after this: the check before the one that saw the count grow (or the head). */
  private long progressAfterNanos;
  /** Attempts the exchange made, this one included. */
  private int attempts;
  /**
   * The client's headers as the request phase left them, before the upstream's were copied in; taken only when an
   * observer may answer instead of the upstream (null otherwise, so the plain path allocates nothing for it).
   */
  private MultiMap featureHeaders;
  /** The upstream's response head fields (what {@link #forgetUpstreamHead} takes back out). */
  private MultiMap upstreamHeaders;
  /** An HTTP/1.0 client gets a body of unknown length: only closing the connection tells it where the body ends. */
  private boolean closeAtEnd;

  ResponseRelay(ProxyExchange ex, ProxyRuntime runtime, Vertx vertx, UpstreamCall call) {
    this.ex = ex;
    this.runtime = runtime;
    this.vertx = vertx;
    this.call = call;
    this.upstream = call.request;
    this.idleMs = runtime.config().timeouts().idle().toMillis();
  }

  /** @param attempts attempts the exchange made, this one included */
  void start(HttpClientResponse from, int attempts) {
    ex.upstreamHeadArrived();
    // Vert.x cancelled the response timeout when the head arrived. The body-idle timer is ours, not
    // upstream.idleTimeout(): Vert.x cancels a request's timer only at the response head or a failure, so one armed
    // now outlives the exchange and keeps its whole object graph (requests, headers, buffers) reachable until it
    // fires. At 10k req/s and idle 60 s that was ~600k live exchanges and GBs of heap: most of HARP's CPU went to GC.
    lastProgressNanos = System.nanoTime();
    lastCheckNanos = lastProgressNanos;
    progressAfterNanos = lastProgressNanos;
    armIdle();
    this.attempts = attempts;
    this.upstreamHeaders = from.headers();
    HttpServerRequest request = ex.request();
    HttpServerResponse to = request.response();
    MultiMap headers = to.headers();
    List<ResponseObserver> observers = ex.observers();
    if (observers != null) {
      featureHeaders = MultiMap.caseInsensitiveMultiMap().addAll(headers);
    }
    ForwardedHeaders.toClient(from.headers(), headers, ex.requestId());
    addRelayHeaders(headers);
    BodyPhases bodies = ex.bodies();
    if (bodies != null && bodies.changesResponse()) {
      // A filter may change the body: its length is unknown (a response-head phase may put the field back).
      headers.remove("content-length");
    }
    if (observers != null) {
      ResponseObserver taker;
      try {
        taker = headToObservers(observers, from, headers);
      } catch (RuntimeException e) {
        // A bug in a feature or filter: answer for it (nothing went to the client yet) rather than leave it hanging.
        dropUpstreamHead(to);
        ex.fail(ProxyFailure.INTERNAL_ERROR, "a response filter failed on the response head", e);
        from.exceptionHandler(t -> { }); // the reset below is ours: not an error to log
        upstream.reset();
        return;
      }
      if (taker != null) {
        dropUpstreamHead(to);
        feedTakenOverBody(from, taker);
        return;
      }
    }
    // Status set only now: an observer that took over answers with its own status, and Vert.x would otherwise keep
    // the upstream's reason phrase (a "200 Not Modified").
    int status = ex.clientStatus() > 0 ? ex.clientStatus() : from.statusCode();
    to.setStatusCode(status);
    String message = ex.clientStatus() > 0 ? ex.clientStatusMessage() : from.statusMessage();
    if (message != null) {
      to.setStatusMessage(message);
    }
    if (!headers.contains("content-length") && hasBody(request.method(), from.statusCode())) {
      if (request.version() != HttpVersion.HTTP_1_0) {
        to.setChunked(true);
      } else {
        closeAtEnd = true; // HTTP/1.0 has no chunks: the close ends the body (Vert.x would keep a keep-alive open)
      }
    }
    relayBody(from, to);
  }

  /** What HARP says about its own handling of this response, whoever answers it. */
  private void addRelayHeaders(MultiMap headers) {
    if (attempts > 1) {
      // Say what HARP did: this answer came from a retry.
      headers.set("X-Harp-Attempts", Integer.toString(attempts));
    }
    if (runtime.draining()) {
      headers.set("Connection", "close");
    }
  }

  /**
   * An observer answers instead of the upstream's response (a 304 answered with the stored body, a stale copy): the
   * client's headers go back to what the request phase put there before the upstream's were copied in (RateLimit,
   * ...), plus HARP's own (X-Harp-Attempts). So nothing of the dropped response goes out with the answer (its
   * Content-Length, Set-Cookie, ETag; what it should update in a stored response, the observer takes from the
   * upstream's headers), and nothing the features added is lost. The observer's answer adds its own to these.
   */
  private void dropUpstreamHead(HttpServerResponse to) {
    to.headers().clear().addAll(featureHeaders);
    addRelayHeaders(to.headers());
    to.setChunked(false);
  }

  /**
   * A problem (or a stale copy) is about to answer for a response that broke or stalled before its head went out:
   * nothing of that response's head goes with it (its Set-Cookie, ETag, Cache-Control, Content-Length would describe
   * a body the client never gets). With observers the request phase's headers are restored as they were; without,
   * only the fields the upstream's head brought are removed, so the request phase's (RateLimit-*) stay.
   */
  private void forgetUpstreamHead(HttpServerResponse to) {
    if (to.headWritten()) {
      return;
    }
    if (featureHeaders != null) {
      dropUpstreamHead(to);
      return;
    }
    for (String name : upstreamHeaders.names()) {
      to.headers().remove(name);
    }
    to.setChunked(false);
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
  private void feedTakenOverBody(HttpClientResponse from, ResponseObserver taker) {
    from.handler(chunk -> {
      upstreamBytes += chunk.length();
      taker.onChunk(chunk);
    });
    from.exceptionHandler(t -> {
      cancelIdle();
      if (!ex.isCompleted()) {
        ProxyFailure failure = ProxyFailure.ofUpstream(t, true);
        call.broke(failure);
        if (!taker.onFailure(failure, t)) {
          ex.fail(failure, HttpForwarder.describe(t), t);
        }
      }
    });
    from.endHandler(v -> {
      cancelIdle();
      if (!ex.isCompleted()) {
        taker.onEnd();
      }
    });
  }

  /**
   * Every upstream-side failure before a byte reached the client is offered here: an observer may answer instead
   * (e.g. a stale copy under stale-if-error). Innermost observer first; true if one answered.
   */
  static boolean offerToObservers(ProxyExchange ex, ProxyFailure failure, Throwable cause) {
    List<ResponseObserver> observers = ex.observers();
    if (observers == null || ex.request().response().headWritten()) {
      return false;
    }
    for (int i = observers.size() - 1; i >= 0; i--) {
      if (observers.get(i).onFailure(failure, cause)) {
        return true;
      }
    }
    return false;
  }

  private static void chunkToObservers(List<ResponseObserver> observers, Buffer chunk) {
    for (int i = observers.size() - 1; i >= 0; i--) {
      observers.get(i).onChunk(chunk);
    }
  }

  private void relayBody(HttpClientResponse from, HttpServerResponse to) {
    to.drainHandler(v -> from.resume());
    List<ResponseObserver> observers = ex.observers();
    BodyPhases bodies = ex.bodies() != null && ex.bodies().seesResponse() ? ex.bodies() : null;
    from.handler(received -> {
      upstreamBytes += received.length();
      if (observers != null) {
        chunkToObservers(observers, received); // the upstream's bytes, before the filters' body phases
      }
      Buffer chunk = received;
      if (bodies != null) {
        chunk = bodies.responseChunk(received);
        if (chunk == null) {
          cancelIdle(); // a filter failed, and so did the exchange
          upstream.reset();
          return;
        }
      }
      ex.countOut(chunk.length());
      if (chunk.length() > 0) {
        to.write(chunk);
        if (to.writeQueueFull()) {
          from.pause();
        }
      }
    });
    from.exceptionHandler(t -> {
      cancelIdle();
      if (!ex.isCompleted()) {
        ProxyFailure failure = ProxyFailure.ofUpstream(t, true);
        call.broke(failure);
        forgetUpstreamHead(to); // a stale copy or a problem answers: the broken response's head must not go with it
        if (!offerToObservers(ex, failure, t)) {
          ex.fail(failure, failure == ProxyFailure.UPSTREAM_IDLE_TIMEOUT ? idleDetail() : HttpForwarder.describe(t),
              t);
        }
      }
    });
    from.endHandler(v -> {
      cancelIdle();
      if (ex.isCompleted()) {
        return;
      }
      if (observers != null) {
        for (int i = observers.size() - 1; i >= 0; i--) {
          observers.get(i).onEnd();
        }
      }
      if (bodies != null) {
        Buffer tail = bodies.responseEnd();
        if (ex.isCompleted()) {
          return; // a filter failed on the end: the connection was closed
        }
        if (tail != null) {
          ex.countOut(tail.length());
          to.write(tail);
        }
      }
      if (to.isChunked() && !from.trailers().isEmpty()) {
        to.trailers().addAll(from.trailers());
      }
      if (closeAtEnd) {
        to.end().onComplete(ar -> ex.request().connection().close());
      } else {
        to.end();
      }
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
      long previousCheck = lastCheckNanos;
      lastCheckNanos = now;
      if (upstreamBytes != bytesOutAtCheck) {
        bytesOutAtCheck = upstreamBytes;
        lastProgressNanos = now;
        progressAfterNanos = previousCheck;
      } else if (now - lastProgressNanos >= idleMs * 1_000_000) {
        call.broke(ProxyFailure.UPSTREAM_IDLE_TIMEOUT);
        forgetUpstreamHead(ex.request().response());
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
   * Whether the upstream may have been silent for the idle timeout: then a client connection that closes now was
   * closed by the server's own idle timer (same setting, it got there first), and the upstream is to blame. The
   * checks see progress only a period late (later still on a loaded machine), so this asks how long the silence can
   * have been (since the check before the last growth), not how long it surely was: a CI run on a loaded box blamed
   * the client for the server's own idle close when the checks ran late.
   */
  boolean upstreamWentIdle() {
    return idleMs > 0 && upstreamBytes == bytesOutAtCheck
        && System.nanoTime() - progressAfterNanos >= idleMs * 900_000;
  }

  /** The client left (or the server's idle timer closed it): report, then stop the upstream. */
  void clientClosed() {
    cancelIdle();
    boolean idle = upstreamWentIdle();
    if (idle) {
      call.broke(ProxyFailure.UPSTREAM_IDLE_TIMEOUT);
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
    return "no bytes from " + call.endpoint.label() + " for " + idleMs + " ms (timeouts.idle)";
  }

  private static boolean hasBody(HttpMethod method, int status) {
    return method != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
  }
}
