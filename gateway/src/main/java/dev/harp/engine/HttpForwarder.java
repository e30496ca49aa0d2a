package dev.harp.engine;

import dev.harp.config.ProxyConfig;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
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
 * {@link UpstreamCall} object, no extra future or timer.
 *
 * <p>Written on vertx-core's HttpServer/HttpClient rather than vertx-http-proxy: measured here (bench/) the library's
 * per-request objects, interceptor futures and pipes cost ~40% more CPU per request, and it gives no hook between
 * "upstream chosen" and "head sent" where retries and breakers sit.
 */
final class HttpForwarder {

  private static final io.vertx.core.Handler<Throwable> IGNORE = t -> { };
  /**
   * Resends after a stale pooled connection, per exchange. Each resend takes another pooled connection, which may be
   * stale too (an upstream that closed them all at once); past this the pool is not the problem.
   */
  static final int MAX_STALE_RESENDS = 2;
  /** The reason of a resend after a stale pooled connection, in problem details and logs. */
  static final String STALE_CONNECTION_REASON = "stale-connection";
  private static final Verdict.Retry STALE_CONNECTION = new Verdict.Retry(0, STALE_CONNECTION_REASON);

  private final ProxyExchange ex;
  private final ProxyRuntime runtime;
  private final HttpServerRequest request;
  private final ProxyConfig config;
  private final HttpClient client;
  private final UpstreamConnections connections;
  private final UpstreamPolicy policy;
  private final Vertx vertx;
  /** Null when the request has no body. */
  private RequestBody body;
  /** The attempt in progress; null between a dropped attempt and the retry. Callbacks of any other are ignored. */
  private UpstreamCall current;
  private int attempts;
  private int staleResends;
  /** Endpoints of dropped attempts, oldest first; null until the first retry. */
  private List<UpstreamEndpoint> tried;
  private String lastRetryReason;
  private long retryTimer = -1;
  private long deadlineTimer = -1;
  private long deadlineNanos;
  private boolean responseStarted;
  /** Set once an attempt's response is delivered: from then on it owns the exchange's upstream side. */
  private ResponseRelay relay;

  private HttpForwarder(ProxyExchange ex, ProxyRuntime runtime, HttpClient client, UpstreamConnections connections) {
    this.ex = ex;
    this.runtime = runtime;
    this.request = ex.request();
    this.config = runtime.config();
    this.client = client;
    this.connections = connections;
    this.policy = runtime.upstreamPolicy();
    this.vertx = Vertx.currentContext().owner();
  }

  static void forward(ProxyExchange ex, ProxyRuntime runtime, HttpClient client, UpstreamConnections connections) {
    new HttpForwarder(ex, runtime, client, connections).start();
  }

  private void start() {
    long maxBody = config.limits().maxBodySize();
    String contentLength = request.getHeader("content-length");
    if (maxBody > 0 && contentLength != null && parseLength(contentLength) > maxBody) {
      ex.fail(ProxyFailure.REQUEST_BODY_TOO_LARGE, "body of " + contentLength + " bytes exceeds " + maxBody, null);
      return;
    }
    if (ex.upstreamBody() != null) {
      body = RequestBody.whole(ex, ex.upstreamBody());
    } else if (contentLength != null || request.headers().contains("transfer-encoding")) {
      body = new RequestBody(ex, maxBody, replayLimit(contentLength), contentLength != null);
    }
    long deadline = config.timeouts().deadline().toMillis();
    if (deadline > 0) {
      deadlineNanos = System.nanoTime() + deadline * 1_000_000;
      deadlineTimer = vertx.setTimer(deadline, id -> onDeadline(deadline));
      ex.whenCompleted(this::cancelTimers);
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
    UpstreamCall attempt = ex.call(policy, endpoint, attempts++);
    current = attempt;
    RequestOptions options = attempt.options(ex.upstreamMethod(), ex.upstreamUri(),
        config.timeouts().connect().toMillis());
    ex.upstreamSent();
    client.request(options).onComplete(ar -> onConnected(attempt, ar));
  }

  private void onConnected(UpstreamCall attempt, AsyncResult<HttpClientRequest> ar) {
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
    attempt.request = upstream;
    attempt.reused = connections.reused(upstream.connection());
    // The response future carries every failure of the attempt; without a handler Vert.x also logs each one as an
    // error, which a reset of a dropped attempt (or an upstream closing mid-upload) is not.
    upstream.exceptionHandler(IGNORE);
    ForwardedHeaders.toUpstream(request, upstream.headers(), attempt.endpoint, config.preserveHost(),
        ex.requestId());
    if (ex.upstreamHeaderEditor() != null) {
      ex.upstreamHeaderEditor().accept(upstream.headers());
    }
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
    if (ex.upstreamBody() != null) {
      // Read whole already (and any 100 Continue answered by whoever read it): its own length, nothing to wait for.
      upstream.headers().remove("transfer-encoding").remove("expect");
      upstream.putHeader("Content-Length", Integer.toString(ex.upstreamBody().length()));
      body.sendTo(upstream, () -> armResponseTimeout(upstream));
      return;
    }
    String contentLength = request.getHeader("content-length");
    if (contentLength != null && !ex.changesRequestBody()) { // a filter changing the body makes its length unknown
      upstream.putHeader("Content-Length", contentLength);
    } else {
      upstream.headers().remove("content-length"); // copied from the client's with the end-to-end fields
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

  private void onResponse(UpstreamCall attempt, AsyncResult<HttpClientResponse> ar) {
    if (attempt != current || ex.isCompleted()) {
      return;
    }
    if (ar.failed()) {
      attemptFailed(attempt, ProxyFailure.ofUpstream(ar.cause(), false), ar.cause(), true);
      return;
    }
    HttpClientResponse response = ar.result();
    Verdict verdict = attempt.head(response, canRetry());
    if (verdict != Verdict.DELIVER && another(attempt, (Verdict.Retry) verdict)) {
      // Closing the connection is the one sure way to stop a body we will never read; it is the rare path. The
      // response hears of the reset: without a handler Vert.x logs it at ERROR ("Stream reset: 0") on every retry.
      response.exceptionHandler(t -> { });
      attempt.request.reset();
      return;
    }
    deliver(attempt, response);
  }

  private void attemptFailed(UpstreamCall attempt, ProxyFailure failure, Throwable cause, boolean sent) {
    if (staleConnection(attempt, failure) && another(attempt, STALE_CONNECTION)) {
      staleResends++;
      runtime.countStaleConnectionResend();
      return;
    }
    Verdict verdict = attempt.failed(failure, canRetry(), sent);
    if (verdict != Verdict.DELIVER && another(attempt, (Verdict.Retry) verdict)) {
      return;
    }
    if (!ResponseRelay.offerToObservers(ex, failure, cause)) {
      ex.fail(failure, describe(failure, cause, attempt.endpoint) + attemptsNote(), cause);
    }
  }

  /**
   * The upstream closed a pooled keep-alive connection while this request was on it, before answering: its idle
   * timeout fired as the request arrived, or it died. As nginx does for a cached connection (and browsers for
   * theirs), an idempotent request is sent again, before the policy judges the attempt: a stale pooled connection
   * alone says nothing about the endpoint's health, so breakers and outlier detection do not hear of it. Never a
   * non-idempotent request (the upstream may have acted on it), nor one whose body was sent and not kept whole
   * ({@link #canRetry}).
   */
  private boolean staleConnection(UpstreamCall attempt, ProxyFailure failure) {
    return staleConnection(failure, attempt.reused, staleResends, ex.upstreamMethod());
  }

  /** Whether a call that failed with {@code failure} met a stale pooled connection and may be sent again. */
  static boolean staleConnection(ProxyFailure failure, boolean reused, int resendsSoFar, HttpMethod method) {
    return failure == ProxyFailure.UPSTREAM_CLOSED && reused && resendsSoFar < MAX_STALE_RESENDS
        && HttpMethods.idempotent(method.name());
  }

  /** Whether another attempt could still send this request: nothing went to the client, the body can be resent. */
  private boolean canRetry() {
    return !responseStarted && (body == null || body.replayable());
  }

  /**
   * Drops {@code attempt} and schedules the next, a retry or a stale-connection resend alike: both are numbered in
   * one sequence (the policy's {@code maxAttempts}, {@code X-Harp-Attempts} and the problem detail count them the
   * same way), both go to an endpoint not tried yet where one is available (Envoy's {@code previous_hosts}: every
   * pooled connection of an endpoint that died is stale at once), and both say why. False when the request cannot
   * be sent again, or the deadline would pass first (then the outcome is delivered).
   */
  private boolean another(UpstreamCall attempt, Verdict.Retry verdict) {
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
    attempt.release();
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

  private void deliver(UpstreamCall attempt, HttpClientResponse upstreamResponse) {
    responseStarted = true;
    ex.enter(Phase.RELAY);
    relay = new ResponseRelay(ex, runtime, vertx, attempt);
    relay.start(upstreamResponse, attempts);
  }

  private void onDeadline(long deadlineMs) {
    deadlineTimer = -1;
    if (ex.isCompleted()) {
      return;
    }
    UpstreamCall attempt = current;
    current = null;
    // Fail first, as for the idle timeout; a response already streaming is cut (its connection closed).
    ex.fail(ProxyFailure.REQUEST_DEADLINE_EXCEEDED, "no complete response within " + deadlineMs
        + " ms (timeouts.deadline)" + attemptsNote(), null);
    if (relay != null) {
      relay.cancelIdle();
      relay.reset();
    } else if (attempt != null && attempt.request != null) {
      attempt.request.reset();
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
    if (retryTimer != -1) {
      vertx.cancelTimer(retryTimer);
      retryTimer = -1;
    }
    if (ex.isCompleted()) {
      return;
    }
    if (relay != null) {
      relay.clientClosed();
      return;
    }
    UpstreamCall attempt = current;
    current = null;
    // Complete before resetting: the reset's own exception must not be reported as the upstream's failure.
    ex.complete(0, ProxyFailure.CLIENT_ABORTED);
    if (attempt != null && attempt.request != null) {
      attempt.request.reset();
    }
  }

  /** " (3 attempts, last retried on 503)" once there was a retry; "" otherwise. */
  private String attemptsNote() {
    return attempts > 1 ? " (" + attempts + " attempts, last retried on " + lastRetryReason + ")" : "";
  }

  /** The problem detail: which timeout fired and its key, else the cause's message; always the endpoint. */
  private String describe(ProxyFailure failure, Throwable cause, UpstreamEndpoint endpoint) {
    ProxyConfig.Timeouts t = config.timeouts();
    return switch (failure) {
      case UPSTREAM_CONNECT_TIMEOUT -> "connecting to " + endpoint.label() + " took longer than "
          + t.connect().toMillis() + " ms (timeouts.connect)";
      case UPSTREAM_RESPONSE_TIMEOUT -> "no response head from " + endpoint.label() + " within "
          + t.response().toMillis() + " ms of sending the request (timeouts.response)";
      case UPSTREAM_IDLE_TIMEOUT -> "no bytes from " + endpoint.label() + " for " + t.idle().toMillis()
          + " ms (timeouts.idle)";
      // Name the endpoint ourselves: the cause's message does with NIO ("...: /127.0.0.1:8080") but not with
      // io_uring ("io_uring connect(..) failed with error(-111): Connection refused").
      case UPSTREAM_CONNECT_FAILED -> "connecting to " + endpoint.label() + " failed: " + describe(cause);
      default -> describe(cause) + " (" + endpoint.label() + ")";
    };
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
