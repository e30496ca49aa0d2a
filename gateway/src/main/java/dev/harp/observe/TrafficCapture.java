package dev.harp.observe;

import dev.harp.engine.CompletedExchange;
import dev.harp.engine.ProxyExchange;
import io.vertx.core.json.JsonObject;

/**
 * Rides along with the traffic events: for the exchanges the node's budget admits, and only those, it copies what
 * must outlive the exchange (heads, body previews) on the exchange's event loop, then receives the event again at
 * flush time on the observers' loop. The dashboard's transaction store is fed this way, so it sheds exactly what the
 * events shed and its capture costs nothing for a sampled-out exchange.
 */
public interface TrafficCapture {

  /**
   * On the exchange's event loop, after the budget admitted it. Must be cheap and bounded: copy, never hold live
   * objects.
   *
   * @return what {@link #published} gets back, or null
   */
  Object capture(CompletedExchange done, ProxyExchange live);

  /**
   * On the observers' loop, once the event is built (and just before its batch is published). {@code event} is the
   * very object being published: read it, keep it, never modify it.
   */
  void published(CompletedExchange done, JsonObject event, Object captured);
}
