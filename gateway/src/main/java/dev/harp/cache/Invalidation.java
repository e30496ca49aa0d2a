package dev.harp.cache;

import dev.harp.spi.Exchange;
import dev.harp.spi.ResponseHead;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;

import java.net.URI;
import java.util.Set;

/**
 * Requests the cache forwards without looking up (any method but GET/HEAD). RFC 9111 §4.4: a non-error response to
 * an unsafe method invalidates the target URI, and the Location / Content-Location URIs when they are same-origin
 * (another host's would let one site purge another's entries). Cache-Status says {@code fwd=method}.
 */
final class Invalidation implements ResponseWatcher {

  /** RFC 9110 §9.2.1. Anything else, including methods HARP does not know, counts as unsafe. */
  private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
      HttpMethod.TRACE);

  private final ProxyCache cache;
  private final Exchange ex;
  private final Context ctx;

  Invalidation(ProxyCache cache, Exchange ex) {
    this.cache = cache;
    this.ex = ex;
    this.ctx = Vertx.currentContext();
  }

  @Override
  public void onHead(ResponseHead head) {
    int status = head.status();
    MultiMap upstreamHeaders = head.upstreamHeaders();
    MultiMap clientHeaders = head.headers();
    clientHeaders.set("Cache-Status",
        cache.status().fwd("method").fwdStatus(status).after(clientHeaders.get("cache-status")));
    if (SAFE.contains(ex.method()) || status < 200 || status >= 400) {
      return;
    }
    String host = ex.headers().get("host");
    invalidate(cache.keyOf(ex));
    for (String field : new String[] {"location", "content-location"}) {
      String target = sameOriginTarget(upstreamHeaders.get(field), host);
      if (target != null) {
        invalidate(CacheKeys.primary(target, cache.preserveHost ? host : null));
      }
    }
  }

  private void invalidate(String key) {
    cache.store.remove(key, ctx).onSuccess(existed -> {
      if (existed) {
        cache.metrics.invalidations.increment();
      }
    });
  }

  /** The path?query of a same-origin URI reference, or null (another origin, or not a URI). */
  static String sameOriginTarget(String reference, String requestHost) {
    if (reference == null || reference.isBlank()) {
      return null;
    }
    try {
      URI uri = new URI(reference.trim());
      if (uri.getScheme() == null && uri.getRawAuthority() == null) {
        String path = uri.getRawPath();
        if (path == null || !path.startsWith("/")) {
          return null; // a relative path would need the request's base; not worth the risk of a wrong key
        }
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
      }
      if (requestHost == null || uri.getRawAuthority() == null
          || !CacheKeys.normaliseHost(uri.getRawAuthority()).equals(CacheKeys.normaliseHost(requestHost))) {
        return null;
      }
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }
}
