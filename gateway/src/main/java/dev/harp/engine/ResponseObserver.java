package dev.harp.engine;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Sees the upstream response of a forwarded exchange before and while it streams to the client (a tee): the engine's
 * side of the SPI's response-head and upstream-failure phases ({@link FilterStage}: a filter that takes a head over,
 * e.g. the cache answering a revalidation's 304 with its stored body), and the http-proxy adapter. Registered by a
 * stage through {@link ProxyExchange#observeResponse}; every method runs on the exchange's event loop and must not
 * block.
 *
 * <p>Observers are called innermost first (the last registered, i.e. the interceptor closest to the upstream, sees
 * the response first), so an outer feature sees what an inner one made of it.
 */
public interface ResponseObserver {

  /**
   * The upstream response head arrived; nothing has been sent to the client yet.
   *
   * @param upstreamHeaders as the upstream sent them (read only)
   * @param clientHeaders   what the client will get (hop-by-hop fields already removed, Via added): edit freely
   * @return true to take the response over: nothing is relayed, this observer alone receives the body through
   *     {@link #onChunk}/{@link #onEnd} and must then end the exchange itself ({@link ProxyExchange#respond} or
   *     {@link ProxyExchange#fail}); observers registered before it are not called for this response. The client's
   *     headers then go back to what the request phase set (e.g. RateLimit): what came from the upstream, and the
   *     observers' edits of them, are dropped with its response
   */
  default boolean onHead(int status, MultiMap upstreamHeaders, MultiMap clientHeaders) {
    return false;
  }

  /** A body chunk, before it is written to the client. Copy it if you keep it. */
  default void onChunk(Buffer chunk) {
  }

  /** The upstream body ended completely (called before the client's response is ended). */
  default void onEnd() {
  }

  /**
   * The upstream failed (no response, a broken body, a timeout) while nothing has been sent to the client. Return
   * true to answer the client yourself (e.g. with a stale copy, RFC 5861 stale-if-error); otherwise HARP sends its
   * problem response. After the head went out, a failure only closes the connection, and observers learn of it
   * through {@link #onComplete}.
   */
  default boolean onFailure(ProxyFailure failure, Throwable cause) {
    return false;
  }

  /**
   * The exchange ended, however it did (answered, failed, client gone): release what you hold for it. Called once.
   *
   * @param failure why it ended abnormally, or null
   */
  default void onComplete(int status, FailureKind failure) {
  }
}
