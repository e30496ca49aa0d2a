package dev.harp.cache;

import dev.harp.spi.Exchange;
import dev.harp.spi.Failure;
import dev.harp.spi.Next;
import dev.harp.spi.ResponseHead;
import io.vertx.core.buffer.Buffer;

/**
 * What the cache does with the upstream response of one exchange it forwarded: store it ({@link CacheExchange}),
 * invalidate on it ({@link Invalidation}), or only say why it was not looked up ({@link #passThrough}). Attached to
 * the exchange when the cache forwards it; {@link CacheFilter}'s response phases hand it on. Runs on the exchange's
 * event loop.
 */
interface ResponseWatcher {

  /** The upstream's response head (see {@link dev.harp.spi.Filter#onResponseHead}). */
  void onHead(ResponseHead head);

  /** A chunk of the upstream's body on its way to the client; copy what you keep. */
  default void onChunk(Buffer chunk) {
  }

  /** The upstream's body ended completely. */
  default void onEnd() {
  }

  /** The upstream failed before the client got anything: true after answering it (stale-if-error). */
  default boolean onUpstreamFailure(Failure failure) {
    return false;
  }

  /** The exchange ended, however it did: release what is held for it. */
  default void onComplete() {
  }

  /** Forwards without storing anything, stating why in Cache-Status. */
  static ResponseWatcher passThrough(ProxyCache cache, String reason, String detail) {
    return head -> {
      CacheStatus s = cache.status().fwd(reason).fwdStatus(head.status()).detail(detail);
      head.headers().set("Cache-Status", s.after(head.headers().get("cache-status")));
    };
  }

  /** Attaches {@code watcher} to the exchange, then lets it go on to the upstream. */
  static void forward(Exchange ex, ResponseWatcher watcher, Next next) {
    ex.put(CacheFilter.WATCHER, watcher);
    next.proceed();
  }
}
