package dev.harp.cache;

import dev.harp.engine.ProxyExchange;
import dev.harp.engine.ProxyInterceptor;
import io.vertx.core.http.HttpMethod;

/** The cache's place in a proxy's chain (order 400): GET/HEAD go through the cache, PURGE purges, others invalidate. */
final class CacheInterceptor implements ProxyInterceptor {

  private final ProxyCache cache;
  private final Purges purges;

  CacheInterceptor(ProxyCache cache, Purges purges) {
    this.cache = cache;
    this.purges = purges;
  }

  @Override
  public void onRequest(ProxyExchange ex) {
    if (ex.isUpgrade()) {
      ex.proceed();
      return;
    }
    HttpMethod method = ex.request().method();
    if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
      new CacheExchange(cache, ex).start();
    } else if (method.name().equals("PURGE")) {
      purges.purgeMethod(cache, ex);
    } else {
      Invalidation.forward(cache, ex);
    }
  }
}
