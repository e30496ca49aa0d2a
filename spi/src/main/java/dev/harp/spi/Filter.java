package dev.harp.spi;

/**
 * One behaviour in a proxy's request path, created per proxy by its {@link FilterFactory}. Implement the phases you
 * need; the defaults pass through. Phases, in the order an exchange meets them:
 * <ol>
 *   <li>{@link #onRequest}: the request head arrived; continue with {@link Next#proceed}, or answer or refuse it;</li>
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
}
