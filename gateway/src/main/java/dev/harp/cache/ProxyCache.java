package dev.harp.cache;

import dev.harp.spi.Exchange;

import java.time.Clock;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** What every exchange of one proxy's cache shares on a node: settings, store, flights, meters, clock. */
final class ProxyCache {

  final String proxy;
  final CacheSettings settings;
  final CacheStore store;
  final Flights flights = new Flights();
  final CacheMetrics metrics;
  final Clock clock;
  final boolean preserveHost;
  /** Keys being revalidated in the background on this node: "revalidate once" (RFC 5861 §3) per node. */
  final Set<String> refreshing = ConcurrentHashMap.newKeySet();

  ProxyCache(String proxy, CacheSettings settings, CacheStore store, CacheMetrics metrics, Clock clock,
             boolean preserveHost) {
    this.proxy = proxy;
    this.settings = settings;
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
    this.preserveHost = preserveHost;
  }

  long now() {
    return clock.millis();
  }

  /** The primary key of an exchange's request (see {@link CacheKeys}). */
  String keyOf(Exchange ex) {
    return CacheKeys.primary(ex.uri(), preserveHost ? ex.headers().get("host") : null);
  }

  CacheStatus status() {
    return CacheStatus.of(settings.statusName());
  }
}
