package dev.harp.cache;

import dev.harp.spi.Attachment;
import dev.harp.spi.Completion;
import dev.harp.spi.Exchange;
import dev.harp.spi.Failure;
import dev.harp.spi.Filter;
import dev.harp.spi.Next;
import dev.harp.spi.ResponseHead;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * One proxy's cache in its pipeline: GET and HEAD go through the cache, PURGE purges, any other method invalidates.
 * Its response phases hand the upstream's response to the exchange's {@link ResponseWatcher}; it only watches
 * bodies, never changes them (lengths and framing stay as the upstream sent them).
 */
final class CacheFilter implements Filter {

  /** The exchange's watcher, attached when the cache forwards it; none on a hit or a refusal. */
  static final Attachment<ResponseWatcher> WATCHER = Attachment.of("cache.watcher", ResponseWatcher.class);

  private final ProxyCache cache;
  private final Purges purges;

  CacheFilter(ProxyCache cache, Purges purges) {
    this.cache = cache;
    this.purges = purges;
  }

  @Override
  public void onRequest(Exchange ex, Next next) {
    HttpMethod method = ex.method();
    if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
      new CacheExchange(cache, ex, next).start();
    } else if (method.name().equals("PURGE")) {
      purges.purgeMethod(cache, ex);
    } else {
      ResponseWatcher.forward(ex, new Invalidation(cache, ex), next);
    }
  }

  @Override
  public void onResponseHead(Exchange ex, ResponseHead head) {
    ResponseWatcher w = ex.get(WATCHER);
    if (w != null) {
      w.onHead(head);
    }
  }

  @Override
  public Buffer onResponseChunk(Exchange ex, Buffer chunk) {
    ResponseWatcher w = ex.get(WATCHER);
    if (w != null) {
      w.onChunk(chunk);
    }
    return chunk;
  }

  @Override
  public Buffer onResponseEnd(Exchange ex) {
    ResponseWatcher w = ex.get(WATCHER);
    if (w != null) {
      w.onEnd();
    }
    return null;
  }

  /** The cache only stores what passes: the client gets the bytes and lengths the upstream sent. */
  @Override
  public boolean changesBodies() {
    return false;
  }

  @Override
  public boolean onUpstreamFailure(Exchange ex, Failure failure) {
    ResponseWatcher w = ex.get(WATCHER);
    return w != null && w.onUpstreamFailure(failure);
  }

  @Override
  public void onComplete(Exchange ex, Completion completion) {
    ResponseWatcher w = ex.get(WATCHER);
    if (w != null) {
      w.onComplete();
    }
  }
}
