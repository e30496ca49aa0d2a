package dev.harp.cache;

import io.vertx.core.http.HttpServerRequest;

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

  /** The primary key of a request (see {@link CacheKeys}). */
  String keyOf(HttpServerRequest request) {
    return CacheKeys.primary(request.uri(), preserveHost ? request.getHeader("host") : null);
  }

  CacheStatus status() {
    return CacheStatus.of(settings.statusName());
  }
}
