package dev.harp.engine;

/**
 * A stage in front of the upstream call (every SPI filter's request phase, through its {@link FilterStage}). It
 * sees the request head, and either calls {@link ProxyExchange#proceed()} (now or later, on the exchange's context) or
 * answers the client itself through {@link ProxyExchange#respond}. The same chain serves WebSocket upgrades, so an
 * interceptor that should not see them checks {@link ProxyExchange#isUpgrade()}.
 */
@FunctionalInterface
public interface ProxyInterceptor {

  void onRequest(ProxyExchange exchange);
}
