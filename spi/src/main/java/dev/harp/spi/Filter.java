package dev.harp.spi;

/**
 * One behaviour in a proxy's request path, created per proxy by its {@link FilterFactory}. Implement the phases you
 * need; the defaults pass through. Phases, in the order an exchange meets them:
 * <ol>
 *   <li>{@link #onRequest}: the request head arrived; continue with {@link Next#proceed}, or answer or refuse it;</li>
 *   <li>{@link #chooseEndpoint}, once per attempt: which upstream endpoint the attempt goes to (and
 *       {@link #unavailable} when none can take it); {@link #bodyReplayLimit} says how much of a request body to
 *       keep so an attempt can be retried;</li>
 *   <li>{@link #onAttempt}: the attempt's outcome (a response head, or a failure before one), judged: accept or
 *       retry;</li>
 *   <li>{@link #onResponseHead}: the upstream's response head, before anything goes to the client;</li>
 *   <li>{@link #onComplete}: the exchange ended, however it did (observe only).</li>
 * </ol>
 * WebSocket and other upgrades reach a filter only if {@link #handlesUpgrades} says so.
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
