package dev.harp.ban;

import dev.harp.proxy.ProxyExchange;
import dev.harp.proxy.ProxyFailure;
import dev.harp.proxy.ProxyInterceptor;
import dev.harp.net.ClientAddresses;
import io.vertx.core.MultiMap;

import java.time.Instant;

/**
 * First in every proxy's chain: a banned client is refused before any other work (auth, rate limit, upstream). The
 * check is a lookup in the node's copy of the bans. On a proxy with a {@code ban:} block the client address is
 * always resolved here, so the failure counter sees the client behind a trusted proxy, not the proxy.
 */
final class BanInterceptor implements ProxyInterceptor {

  private final String proxy;
  private final BanStore store;
  private final ClientAddresses clients;
  private final int status;
  private final boolean counting;
  private final BanMetrics metrics;

  BanInterceptor(String proxy, BanStore store, ClientAddresses clients, int status, boolean counting,
                 BanMetrics metrics) {
    this.proxy = proxy;
    this.store = store;
    this.clients = clients;
    this.status = status;
    this.counting = counting;
    this.metrics = metrics;
  }

  @Override
  public void onRequest(ProxyExchange exchange) {
    if (!counting && store.size() == 0) {
      exchange.proceed();
      return;
    }
    String client = clients.of(exchange);
    BanRecord ban = store.find(proxy, client);
    if (ban == null) {
      exchange.proceed();
      return;
    }
    metrics.rejected(proxy);
    long seconds = Math.max(1, (ban.untilMillis() - System.currentTimeMillis() + 999) / 1000);
    exchange.reject(ProxyFailure.BANNED, status, "client " + client + " is banned until "
            + Instant.ofEpochMilli(ban.untilMillis()),
        MultiMap.caseInsensitiveMultiMap().add("Retry-After", Long.toString(seconds)));
  }
}
