package dev.harp.spi;

import io.vertx.core.buffer.Buffer;

/**
 * One behaviour in a proxy's request path, created per proxy by its {@link FilterFactory}. Implement the phases you
 * need; the defaults pass through. Phases, in the order an exchange meets them:
 * <ol>
 *   <li>{@link #onRequest}: the request head arrived; continue with {@link Next#proceed}, or answer or refuse it;</li>
 *   <li>{@link #onRequestChunk} / {@link #onRequestEnd}: the request body as it streams upstream;</li>
 *   <li>{@link #chooseEndpoint}, once per attempt: which upstream endpoint the attempt goes to (and
 *       {@link #unavailable} when none can take it); {@link #bodyReplayLimit} says how much of a request body to
 *       keep so an attempt can be retried;</li>
 *   <li>{@link #onAttempt}: the attempt's outcome (a response head, or a failure before one), judged: accept or
 *       retry;</li>
 *   <li>{@link #onResponseHead}: the upstream's response head, before anything goes to the client (a filter may
 *       {@link ResponseHead#takeOver take it over} and answer instead); or {@link #onUpstreamFailure}: the
 *       upstream failed before anything went to the client, and a filter may answer instead of HARP's problem;</li>
 *   <li>{@link #onResponseChunk} / {@link #onResponseEnd}: the response body as it streams to the client;</li>
 *   <li>{@link #onComplete}: the exchange ended, however it did (observe only).</li>
 * </ol>
 * WebSocket and other upgrades reach a filter only if {@link #handlesUpgrades} says so.
 *
 * <p><b>Body phases.</b> A filter that overrides a body method sees that body chunk by chunk, on the exchange's
 * event loop, as it passes; nothing is buffered whole, and back-pressure holds (the source is paused while the
 * destination's write queue is full, whatever the filters returned). Request chunks meet the filters in pipeline
 * order (the outermost sees the client's bytes); response chunks meet them innermost first (the outermost sees what
 * the client gets), like response heads. A filter sees the bodies of the exchanges whose request phase it passed:
 * a forwarded request's body (not a bodiless request's), the upstream's response body, and the body of an answer a
 * filter or the cache made itself ({@link Exchange#respond}, one chunk then the end); not HARP's problem answers.
 *
 * <p>Lengths: a filter that {@link #changesBodies changes bodies} makes the length unknown, so on the exchanges it
 * passes HARP sends the request upstream chunked (no Content-Length), and drops the upstream response's
 * Content-Length before the response-head phase: an HTTP/1.1 client then gets the body chunked, an HTTP/1.0 client
 * gets it delimited by the connection's close. A filter that leaves a response's length as it is (it will not
 * change this one, or knows the new length) puts the field back in {@link ResponseHead#headers()}. An answer made
 * with {@link Exchange#respond} always gets the Content-Length of its transformed body. A filter that only watches
 * (previews, checksums) returns false from {@link #changesBodies}: lengths and framing stay as they are.
 *
 * <p>HARP's {@code cache} is a filter that watches response bodies in its own body phase: it stores a body as the
 * filters after it left it, with the upstream's header fields. A filter that changes responses belongs before
 * {@code cache} in the pipeline, so that cache hits pass it as misses do.
 *
 * <p>A proxy none of whose filters overrides a body method pays nothing per chunk.
 */
public interface Filter {

  /**
   * The request phase. Call {@code next.proceed()} exactly once to continue (now, or later on the exchange's
   * context), or end the exchange with {@link Exchange#respond} or {@link Exchange#reject} instead.
   *
   * @param exchange the exchange
   * @param next     continues with the next filter, then the upstream
   */
  default void onRequest(Exchange exchange, Next next) {
    next.proceed();
  }

  /**
   * The upstream answered with this head; the client has seen nothing yet. Edit {@link ResponseHead#headers()} to
   * change what the client gets. Not called for answers a filter made itself.
   *
   * @param exchange the exchange
   * @param head     the response head, its client headers editable
   */
  default void onResponseHead(Exchange exchange, ResponseHead head) {
  }

  /**
   * The upstream failed (no response after the last attempt, a timeout, a body that broke before the response head
   * went to the client) and HARP is about to answer with its problem. Return true after answering the client
   * yourself ({@link Exchange#respond}), e.g. with a stale copy under RFC 5861 stale-if-error. Asked innermost first
   * (like response heads); the first that answers ends the walk. Not called once the client's response started: a
   * failure then only closes the connection, and {@link #onComplete} says so.
   *
   * @param exchange the exchange
   * @param failure  HARP's failure (e.g. {@code upstream-connect-failed}, {@code upstream-timeout})
   * @return true when this filter answered the client
   */
  default boolean onUpstreamFailure(Exchange exchange, Failure failure) {
    return false;
  }

  /**
   * A chunk of the request body, on its way upstream. Return what to send instead: the chunk itself, a transformed
   * one, or an empty buffer to drop it (a filter that keeps bytes back returns them later, at the latest from
   * {@link #onRequestEnd}). The chunk may be retained or changed only by a filter that {@link #changesBodies}; copy
   * what you keep beyond the call. When the body is kept for a retry, the transformed chunks are kept: each client
   * chunk passes here once, however many attempts there are.
   *
   * @param exchange the exchange
   * @param chunk    the chunk as the client sent it, or as the filters before this one made it
   * @return the chunk to pass on (ignored unless {@link #changesBodies}); null is taken as empty
   */
  default Buffer onRequestChunk(Exchange exchange, Buffer chunk) {
    return chunk;
  }

  /**
   * The request body ended (every chunk passed {@link #onRequestChunk}).
   *
   * @param exchange the exchange
   * @return a last chunk to append (ignored unless {@link #changesBodies}), or null for none
   */
  default Buffer onRequestEnd(Exchange exchange) {
    return null;
  }

  /**
   * A chunk of the response body, on its way to the client (after the response-head phase). As
   * {@link #onRequestChunk}: return the chunk, a transformed one, or an empty buffer to drop it.
   *
   * @param exchange the exchange
   * @param chunk    the chunk as the upstream (or a local answer) sent it, or as inner filters made it
   * @return the chunk to pass on (ignored unless {@link #changesBodies}); null is taken as empty
   */
  default Buffer onResponseChunk(Exchange exchange, Buffer chunk) {
    return chunk;
  }

  /**
   * The response body ended completely, before the client's response is ended. Not called when the body broke
   * (the client's connection is then closed, and {@link #onComplete} says why).
   *
   * @param exchange the exchange
   * @return a last chunk to append (ignored unless {@link #changesBodies}), or null for none
   */
  default Buffer onResponseEnd(Exchange exchange) {
    return null;
  }

  /**
   * Whether this filter's body phases may change the bytes; true by default. A filter that only watches the bodies
   * returns false: what its chunk methods return is ignored (the chunk passes on as it was), and HARP keeps the
   * bodies' Content-Length and framing. Asked once, when the filter is created.
   *
   * @return false for a filter that only observes bodies
   */
  default boolean changesBodies() {
    return true;
  }

  /**
   * The exchange ended: answered, refused, failed, or the client left. Called once, for every exchange that passed
   * this filter's request phase.
   *
   * @param exchange   the exchange
   * @param completion how it ended
   */
  default void onComplete(Exchange exchange, Completion completion) {
  }

  /**
   * Whether upgrade requests (WebSocket) pass through this filter's request phase; false by default, since most
   * filters read or change HTTP semantics an upgraded connection no longer has.
   *
   * @return true to see upgrades
   */
  default boolean handlesUpgrades() {
    return false;
  }

  /**
   * The endpoint-choice phase, once per attempt (first attempts, retries, and the engine's own fetches of the
   * exchange's target). Narrow or veto the choice and ask the next chooser with {@link EndpointChoice#pick}; HARP's
   * resilience does this (health, maintenance, ejected outliers, open circuits). Runs on the request path: read
   * state, never wait.
   *
   * @param exchange the exchange
   * @param choice   the next chooser
   * @return the endpoint, or null when none can take the attempt ({@link #unavailable} then says why)
   */
  default Endpoint chooseEndpoint(Exchange exchange, EndpointChoice choice) {
    return choice.pick(e -> true);
  }

  /**
   * Why no endpoint could take an attempt, when this filter's {@link #chooseEndpoint} refused them all; the first
   * filter with an answer is the client's problem answer.
   *
   * @param exchange the exchange
   * @return the failure, or null to leave it to others (the default: 503 {@code no-upstream-available})
   */
  default Failure unavailable(Exchange exchange) {
    return null;
  }

  /**
   * How many request-body bytes the engine keeps so that a retry can send a body already sent; the largest of all
   * filters' answers applies. Asked once per exchange with a body.
   *
   * @param exchange the exchange
   * @return bytes to keep, 0 (the default) for none: then only an attempt that sent nothing can be retried
   */
  default long bodyReplayLimit(Exchange exchange) {
    return 0;
  }

  /**
   * The attempt phase: an attempt ended. Every filter that implements it hears every attempt (breakers and outlier
   * detection count here); the first {@link AttemptVerdict.Retry} wins, and is honoured only when
   * {@link AttemptResult#retryable}.
   *
   * @param exchange the exchange
   * @param result   how the attempt ended
   * @return {@link AttemptVerdict#ACCEPT} (the default), or a retry
   */
  default AttemptVerdict onAttempt(Exchange exchange, AttemptResult result) {
    return AttemptVerdict.ACCEPT;
  }

  /**
   * The node is stopping, after its proxies drained: release what the filter holds (timers, listeners). Called once,
   * off the event loops; the default does nothing.
   */
  default void close() {
  }
}
