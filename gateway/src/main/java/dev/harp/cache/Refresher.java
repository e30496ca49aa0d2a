package dev.harp.cache;

import dev.harp.spi.Exchange;
import dev.harp.spi.FetchedResponse;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;

/**
 * Background revalidation for stale-while-revalidate (RFC 5861 §3): the client already got the stale copy; one
 * conditional GET per key and node refreshes the entry for the next ones.
 */
final class Refresher {

  private Refresher() {
  }

  static void refresh(ProxyCache cache, Exchange ex, String key, StoredResponse stale) {
    if (!cache.refreshing.add(key)) {
      return; // already under way on this node
    }
    Context ctx = Vertx.currentContext();
    cache.metrics.writesPending.incrementAndGet();
    long requestTime = cache.now();
    ex.fetch(out -> validators(out, stale), cache.settings.maxObjectSize()).onComplete(ar -> {
      try {
        if (ar.failed()) {
          cache.metrics.revalidation("error");
          return;
        }
        apply(cache, ex, key, stale, ar.result(), requestTime, ctx);
      } finally {
        cache.refreshing.remove(key);
        cache.metrics.writesPending.decrementAndGet();
      }
    });
  }

  private static void apply(ProxyCache cache, Exchange ex, String key, StoredResponse stale, FetchedResponse reply,
                            long requestTime, Context ctx) {
    long now = cache.now();
    if (reply.status() == 304) {
      cache.metrics.revalidation("not-modified");
      cache.store.store(key, Storing.freshen(stale, reply.headers(), requestTime, now, cache.settings), now, ctx);
      return;
    }
    if (UsePolicy.isErrorStatus(reply.status())) {
      cache.metrics.revalidation("error"); // keep the stale copy; the next request will try again
      return;
    }
    cache.metrics.revalidation("modified");
    CacheControl requestCc = UsePolicy.requestDirectives(ex.headers());
    CacheControl responseCc = CacheControl.parse(reply.headers().getAll("cache-control"));
    String refusal = Storing.refusal(requestCc, ex.headers().contains("authorization"), reply.status(),
        reply.headers(), responseCc, cache.settings);
    if (refusal != null) {
      cache.metrics.notStored(refusal);
      cache.store.remove(key, ctx);
      return;
    }
    cache.store.store(key, Storing.build(reply.status(), reply.headers(), reply.body().getBytes(), requestTime, now,
        ex.headers(), cache.settings), now, ctx);
  }

  private static void validators(MultiMap out, StoredResponse stale) {
    out.remove("if-none-match");
    out.remove("if-modified-since");
    out.remove("if-range");
    out.remove("range");
    if (stale.etag() != null) {
      out.set("If-None-Match", stale.etag());
    }
    if (stale.lastModified() != null) {
      out.set("If-Modified-Since", stale.lastModified());
    }
  }
}
