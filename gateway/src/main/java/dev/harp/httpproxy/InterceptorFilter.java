package dev.harp.httpproxy;

import dev.harp.engine.EngineExchanges;
import dev.harp.engine.ProxyExchange;
import dev.harp.spi.Exchange;
import dev.harp.spi.Filter;
import dev.harp.spi.Next;
import io.vertx.httpproxy.ProxyInterceptor;

import java.util.List;

/**
 * The filter {@link HttpProxyInterceptors} makes: each exchange walks the interceptors in an
 * {@link InterceptorChain}. It needs HARP's exchange (bodies, the client's status), which is why it lives in the
 * gateway rather than on the SPI alone. Upgrades pass by: vertx-http-proxy's WebSocket path does not map.
 */
final class InterceptorFilter implements Filter {

  private final List<ProxyInterceptor> interceptors;
  private final long maxBodySize;

  InterceptorFilter(List<ProxyInterceptor> interceptors, long maxBodySize) {
    this.interceptors = interceptors;
    this.maxBodySize = maxBodySize;
  }

  @Override
  public void onRequest(Exchange exchange, Next next) {
    ProxyExchange ex = EngineExchanges.unwrap(exchange);
    if (ex == null) {
      throw new IllegalStateException("vertx-http-proxy interceptors run only on HARP's own exchanges");
    }
    new InterceptorChain(ex, next, interceptors, maxBodySize).start();
  }
}
