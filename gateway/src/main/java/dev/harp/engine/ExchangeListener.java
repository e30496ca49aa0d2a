package dev.harp.engine;

/** Observes finished exchanges (metrics, traffic events, stats, access log). Called on the exchange's event loop. */
@FunctionalInterface
public interface ExchangeListener {

  void onComplete(CompletedExchange exchange);

  /**
   * The same, with the live exchange: its request and response heads are still readable here, on its event loop, and
   * nowhere later. Only a listener that copies part of them (the dashboard's transaction capture, for the exchanges
   * the traffic-event budget admits) overrides this; the rest see {@link #onComplete(CompletedExchange)}.
   */
  default void onComplete(CompletedExchange exchange, ProxyExchange live) {
    onComplete(exchange);
  }
}
