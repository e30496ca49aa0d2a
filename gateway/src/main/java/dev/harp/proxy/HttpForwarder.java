package dev.harp.proxy;

import dev.harp.config.ProxyConfig;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * Forwards one plain HTTP exchange upstream, streaming both bodies with back-pressure: nothing is buffered beyond the
 * write queues (and, when retries may replay it, a request body within the configured limit), so a 1 GiB upload or
 * download and a Server-Sent-Events stream pass alike.
 *
 * <p>The exchange is made of <em>attempts</em>: one request to one endpoint. The {@link UpstreamPolicy} chooses each
 * attempt's endpoint and judges its outcome (a response head, or a failure before one); until a response byte has
 * gone to the client, a failed attempt may be dropped and another made, on another endpoint where one exists. With
 * the default policy there is exactly one attempt and the path costs what it did before attempts existed: one small
 * {@link Attempt} object, no extra future or timer.
 *
 * <p>Written on vertx-core's HttpServer/HttpClient rather than vertx-http-proxy: measured here (bench/) the library's
 * per-request objects, interceptor futures and pipes cost ~40% more CPU per request, and it gives no hook between
 * "upstream chosen" and "head sent" where retries and breakers sit.
 */
final class HttpForwarder {

  /** One request to one endpoint. Callbacks of an attempt that is no longer {@link #current} are ignored. */
  private static final class Attempt {
    final UpstreamEndpoint endpoint;
    final int number;
    HttpClientRequest upstream;

    Attempt(UpstreamEndpoint endpoint, int number) {
      this.endpoint = endpoint;
      this.number = number;
    }
  }

  private static final io.vertx.core.Handler<Throwable> IGNORE = t -> { };

  private final ProxyExchange ex;
  private final ProxyRuntime runtime;
  private final HttpServerRequest request;
  private final ProxyConfig config;
  private final HttpClient client;
  private final UpstreamPolicy policy;
  private final Vertx vertx;
  /** Null when the request has no body. */
  private RequestBody body;
  /** The attempt in progress; null between a dropped attempt and the retry. */
  private Attempt current;
  private int attempts;
  /** Endpoints of dropped attempts, oldest first; null until the first retry. */
  private List<UpstreamEndpoint> tried;
  private String lastRetryReason;
  private long retryTimer = -1;
  private long deadlineTimer = -1;
  private long deadlineNanos;
  private boolean responseStarted;
  /** Body-idle timer of the response phase, -1 when not armed; see {@link #armBodyIdle}. */
  private long bodyIdleTimer = -1;
  /** {@code ex.bytesOut} at the last idle check, and when a check last saw it grow (or the head arrived). */
  private long bytesOutAtCheck;
  private long lastProgressNanos;

  private HttpForwarder(ProxyExchange ex, ProxyRuntime runtime, HttpClient client) {
    this.ex = ex;
    this.runtime = runtime;
    this.request = ex.request();
    this.config = runtime.config();
    this.client = client;
    this.policy = runtime.upstreamPolicy();
    this.vertx = Vertx.currentContext().owner();
  }

  static void forward(ProxyExchange ex, ProxyRuntime runtime, HttpClient client) {
    new HttpForwarder(ex, runtime, client).start();
  }

  private void start() {
    long maxBody = config.limits().maxBodySize();
    String contentLength = request.getHeader("content-length");
    if (maxBody > 0 && contentLength != null && parseLength(contentLength) > maxBody) {
      ex.fail(ProxyFailure.REQUEST_BODY_TOO_LARGE, "body of " + contentLength + " bytes exceeds " + maxBody, null);
      return;
    }
    if (contentLength != null || request.headers().contains("transfer-encoding")) {
      body = new RequestBody(ex, maxBody, replayLimit(contentLength), contentLength != null);
    }
    long deadline = config.timeouts().deadline().toMillis();
    if (deadline > 0) {
      deadlineNanos = System.nanoTime() + deadline * 1_000_000;
      deadlineTimer = vertx.setTimer(deadline, id -> onDeadline(deadline));
      ex.onComplete = this::cancelTimers;
    }
    request.response().closeHandler(v -> clientClosed());
    nextAttempt();
  }

  /** Bytes of this body to keep for a replay: none with Expect: 100-continue (the client sent it once, after a 100). */
  private long replayLimit(String contentLength) {
    if ("100-continue".equalsIgnoreCase(request.getHeader("expect"))) {
      return 0;
    }
    long limit = policy.bodyReplayLimit(ex);
    if (limit > 0 && contentLength != null && parseLength(contentLength) > limit) {
      return 0;
    }
    return limit;
  }

  private void nextAttempt() {
    List<UpstreamEndpoint> before = tried == null ? List.of() : tried;
    UpstreamEndpoint endpoint = policy.select(ex, attempts, before);
    if (endpoint == null) {
      UpstreamPolicy.Unavailable why = policy.unavailable(ex);
      ex.fail(why.failure(), why.detail() + attemptsNote(), null, why.retryAfterSeconds());
      return;
    }
    ex.useEndpoint(endpoint);
    Attempt attempt = new Attempt(endpoint, attempts++);
    current = attempt;
    RequestOptions options = new RequestOptions()
        .setMethod(request.method())
        .setHost(endpoint.host())
        .setPort(endpoint.port())
        .setSsl(endpoint.tls())
        .setURI(endpoint.basePath().isEmpty() ? request.uri() : endpoint.basePath() + request.uri())
        .setConnectTimeout(config.timeouts().connect().toMillis());
    ex.upstreamStartNanos = System.nanoTime();
    client.request(options).onComplete(ar -> onConnected(attempt, ar));
  }

  private void onConnected(Attempt attempt, AsyncResult<HttpClientRequest> ar) {
    if (attempt != current || ex.isCompleted()) {
      if (ar.succeeded()) {
        ar.result().reset();
      }
      return;
    }
    if (ar.failed()) {
      // No connection, so not a byte of the request left HARP: any method may be retried.
      attemptFailed(attempt, ProxyFailure.ofConnect(ar.cause()), ar.cause(), false);
      return;
    }
    HttpClientRequest upstream = ar.result();
    attempt.upstream = upstream;
    // The response future carries every failure of the attempt; without a handler Vert.x also logs each one as an
    // error, which a reset of a dropped attempt (or an upstream closing mid-upload) is not.
    upstream.exceptionHandler(IGNORE);
    ForwardedHeaders.toUpstream(request, upstream.headers(), attempt.endpoint, config.preserveHost(),
        ex.requestId());
    upstream.response().onComplete(r -> onResponse(attempt, r));
    if (body == null) {
      upstream.end();
      armResponseTimeout(upstream);
      request.resume();
      return;
    }
    if (!body.replayable()) {
      // Only a retry can get here with a body that was partly read and not kept; never send half a request.
      upstream.reset();
      ex.fail(ProxyFailure.INTERNAL_ERROR, "request body could not be replayed" + attemptsNote(), null);
      return;
    }
    String contentLength = request.getHeader("content-length");
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
    body.sendTo(upstream, () -> armResponseTimeout(upstream));
  }

  /** Time to first byte, counted from the request fully sent; Vert.x cancels it when the head arrives. */
  private void armResponseTimeout(HttpClientRequest upstream) {
    long response = config.timeouts().response().toMillis();
    if (response > 0 && !responseStarted) {
      upstream.idleTimeout(response);
    }
  }

  private void onResponse(Attempt attempt, AsyncResult<HttpClientResponse> ar) {
    if (attempt != current || ex.isCompleted()) {
      return;
    }
    if (ar.failed()) {
      attemptFailed(attempt, ProxyFailure.ofUpstream(ar.cause(), false), ar.cause(), true);
      return;
    }
    HttpClientResponse response = ar.result();
    Verdict verdict = policy.onResponse(ex, attempt.endpoint, attempt.number, canRetry(), response);
    if (verdict != Verdict.DELIVER && retry(attempt, (Verdict.Retry) verdict)) {
      // Closing the connection is the one sure way to stop a body we will never read; it is the rare path.
      attempt.upstream.reset();
      return;
    }
    deliver(attempt, response);
  }

  private void attemptFailed(Attempt attempt, ProxyFailure failure, Throwable cause, boolean sent) {
    Verdict verdict = policy.onFailure(ex, attempt.endpoint, attempt.number, canRetry(), failure, sent);
    if (verdict != Verdict.DELIVER && retry(attempt, (Verdict.Retry) verdict)) {
      return;
    }
    ex.fail(failure, describe(failure, cause, attempt.endpoint) + attemptsNote(), cause);
  }

  /** Whether another attempt could still send this request: nothing went to the client, the body can be resent. */
  private boolean canRetry() {
    return !responseStarted && (body == null || body.replayable());
  }

  /** Drops {@code attempt} and schedules the next; false when the deadline would pass first (then deliver). */
  private boolean retry(Attempt attempt, Verdict.Retry verdict) {
    if (!canRetry()
        || (deadlineNanos != 0 && System.nanoTime() + verdict.delayMs() * 1_000_000 >= deadlineNanos)) {
      return false;
    }
    current = null;
    lastRetryReason = verdict.reason();
    if (body != null) {
      body.detach();
    }
    if (tried == null) {
      tried = new ArrayList<>(4);
    }
    tried.add(attempt.endpoint);
    ex.releaseEndpoint();
    if (verdict.delayMs() <= 0) {
      nextAttempt();
    } else {
      retryTimer = vertx.setTimer(verdict.delayMs(), id -> {
        retryTimer = -1;
        if (!ex.isCompleted()) {
          nextAttempt();
        }
      });
    }
    return true;
  }

  private void deliver(Attempt attempt, HttpClientResponse upstreamResponse) {
    responseStarted = true;
    ex.upstreamHeadNanos = System.nanoTime() - ex.upstreamStartNanos;
    // Vert.x cancelled the response timeout when the head arrived. The body-idle timer is ours, not
    // upstream.idleTimeout(): Vert.x cancels a request's timer only at the response head or a failure, so one armed
    // now outlives the exchange and keeps its whole object graph (requests, headers, buffers) reachable until it
    // fires. At 10k req/s and idle 60 s that was ~600k live exchanges and GBs of heap: most of HARP's CPU went to GC.
    lastProgressNanos = System.nanoTime();
    armBodyIdle(attempt, config.timeouts().idle().toMillis());
    HttpServerResponse response = request.response();
    response.setStatusCode(upstreamResponse.statusCode());
    String message = upstreamResponse.statusMessage();
    if (message != null) {
      response.setStatusMessage(message);
    }
    MultiMap headers = response.headers();
    ForwardedHeaders.toClient(upstreamResponse.headers(), headers, ex.requestId());
    if (attempts > 1) {
      // Say what HARP did: this answer came from a retry.
      headers.set("X-Harp-Attempts", Integer.toString(attempts));
    }
    if (runtime.draining()) {
      headers.set("Connection", "close");
    }
    if (!headers.contains("content-length") && hasBody(upstreamResponse.statusCode())
        && request.version() != HttpVersion.HTTP_1_0) {
      response.setChunked(true);
    }
    relayResponseBody(attempt, upstreamResponse, response);
  }

  private void relayResponseBody(Attempt attempt, HttpClientResponse from, HttpServerResponse to) {
    to.drainHandler(v -> from.resume());
    from.handler(chunk -> {
      ex.bytesOut += chunk.length();
      to.write(chunk);
      if (to.writeQueueFull()) {
        from.pause();
      }
    });
    from.exceptionHandler(t -> {
      cancelBodyIdle();
      if (!ex.isCompleted()) {
        ProxyFailure failure = ProxyFailure.ofUpstream(t, true);
        policy.onFailure(ex, attempt.endpoint, attempt.number, false, failure, true);
        ex.fail(failure, describe(failure, t, attempt.endpoint), t);
      }
    });
    from.endHandler(v -> {
      cancelBodyIdle();
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
   * Fails the exchange when the upstream sends no body bytes for {@code idleMs}. Checked every quarter of it against
   * the byte count the relay keeps anyway (nothing extra per chunk), so it fires between 1 and 1.25 × idle after the
   * last byte, and {@link #clientClosed} can tell a stalled upstream from a client that left.
   */
  private void armBodyIdle(Attempt attempt, long idleMs) {
    if (idleMs <= 0) {
      return;
    }
    bodyIdleTimer = vertx.setTimer(Math.max(1, idleMs / 4), id -> {
      bodyIdleTimer = -1;
      if (ex.isCompleted()) {
        return;
      }
      long now = System.nanoTime();
      if (ex.bytesOut != bytesOutAtCheck) {
        bytesOutAtCheck = ex.bytesOut;
        lastProgressNanos = now;
      } else if (now - lastProgressNanos >= idleMs * 1_000_000) {
        policy.onFailure(ex, attempt.endpoint, attempt.number, false, ProxyFailure.UPSTREAM_IDLE_TIMEOUT, true);
        // Fail first: the reset's own exception would otherwise be reported as "upstream closed".
        ex.fail(ProxyFailure.UPSTREAM_IDLE_TIMEOUT, "no bytes from " + attempt.endpoint.label() + " for " + idleMs
            + " ms (timeouts.idle)", null);
        attempt.upstream.reset();
        return;
      }
      armBodyIdle(attempt, idleMs);
    });
  }

  private void cancelBodyIdle() {
    if (bodyIdleTimer != -1) {
      vertx.cancelTimer(bodyIdleTimer);
      bodyIdleTimer = -1;
    }
  }

  private void onDeadline(long deadlineMs) {
    deadlineTimer = -1;
    if (ex.isCompleted()) {
      return;
    }
    Attempt attempt = current;
    current = null;
    // Fail first, as for the idle timeout; a response already streaming is cut (its connection closed).
    ex.fail(ProxyFailure.REQUEST_DEADLINE_EXCEEDED, "no complete response within " + deadlineMs
        + " ms (timeouts.deadline)" + attemptsNote(), null);
    if (attempt != null && attempt.upstream != null) {
      attempt.upstream.reset();
    }
  }

  private void cancelTimers() {
    if (deadlineTimer != -1) {
      vertx.cancelTimer(deadlineTimer);
      deadlineTimer = -1;
    }
    if (retryTimer != -1) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
  }

  private void clientClosed() {
    cancelBodyIdle();
    if (retryTimer != -1) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    if (!ex.isCompleted()) {
      Attempt attempt = current;
      current = null;
      // The client connection closed mid-response after the upstream had been silent for (about) the idle timeout:
      // that is the idle timeout (the server's connection idle timer, same setting, got there first), not the client.
      long idleMs = config.timeouts().idle().toMillis();
      boolean upstreamIdle = responseStarted && idleMs > 0 && ex.bytesOut == bytesOutAtCheck
          && System.nanoTime() - lastProgressNanos >= idleMs * 750_000;
      if (upstreamIdle && attempt != null) {
        policy.onFailure(ex, attempt.endpoint, attempt.number, false, ProxyFailure.UPSTREAM_IDLE_TIMEOUT, true);
      }
      // Complete before resetting: the reset's own exception must not be reported as the upstream's failure.
      ex.complete(request.response().headWritten() ? request.response().getStatusCode() : 0,
          upstreamIdle ? ProxyFailure.UPSTREAM_IDLE_TIMEOUT : ProxyFailure.CLIENT_ABORTED);
      if (attempt != null && attempt.upstream != null) {
        attempt.upstream.reset();
      }
    }
  }

  /** " (3 attempts, last retried on 503)" once there was a retry; "" otherwise. */
  private String attemptsNote() {
    return attempts > 1 ? " (" + attempts + " attempts, last retried on " + lastRetryReason + ")" : "";
  }

  /** The problem detail: which timeout fired and its key, else the cause's message (it names the address). */
  private String describe(ProxyFailure failure, Throwable cause, UpstreamEndpoint endpoint) {
    ProxyConfig.Timeouts t = config.timeouts();
    return switch (failure) {
      case UPSTREAM_CONNECT_TIMEOUT -> "connecting to " + endpoint.label() + " took longer than "
          + t.connect().toMillis() + " ms (timeouts.connect)";
      case UPSTREAM_RESPONSE_TIMEOUT -> "no response head from " + endpoint.label() + " within "
          + t.response().toMillis() + " ms of sending the request (timeouts.response)";
      case UPSTREAM_IDLE_TIMEOUT -> "no bytes from " + endpoint.label() + " for " + t.idle().toMillis()
          + " ms (timeouts.idle)";
      default -> describe(cause);
    };
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
