package dev.harp.proxy;

/** Observes finished exchanges (metrics, traffic events, stats, access log). Called on the exchange's event loop. */
@FunctionalInterface
public interface ExchangeListener {

  void onComplete(CompletedExchange exchange);
}
