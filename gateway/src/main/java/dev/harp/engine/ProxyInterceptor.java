package dev.harp.engine;

/**
 * A feature that sits in front of the upstream call (auth, ban check, rate limit, cache lookup...). It sees the
 * request head, and either calls {@link ProxyExchange#proceed()} (now or later, on the exchange's context) or
 * answers the client itself through {@link ProxyExchange#respond}. The same chain serves WebSocket upgrades, so an
 * interceptor that should not see them checks {@link ProxyExchange#isUpgrade()}.
 */
@FunctionalInterface
public interface ProxyInterceptor {

  void onRequest(ProxyExchange exchange);
}
