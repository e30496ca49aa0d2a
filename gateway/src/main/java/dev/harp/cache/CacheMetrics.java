package dev.harp.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One proxy's cache meters (Prometheus names in docs/cache.md). Counters are per node; sum them over nodes for the
 * cluster. Storage pressure is never silent: evictions and expirations are counted where they happen (the
 * partition owner), and the bytes each member holds are a gauge.
 */
final class CacheMetrics {

  private final MeterRegistry registry;
  private final String proxy;
  final Counter hits;
  final Counter misses;
  final Counter stores;
  final Counter storedBytes;
  final Counter coalesced;
  final Counter invalidations;
  final Counter purged;
  final Counter evictions;
  final Counter expirations;
  private final ConcurrentHashMap<String, Counter> dynamic = new ConcurrentHashMap<>();
  /** Stores, removals and background revalidations started but not finished; tests wait for 0. */
  final AtomicInteger writesPending = new AtomicInteger();
  volatile long bytesHeld;
  volatile long entriesOwned;

  CacheMetrics(MeterRegistry registry, String proxy) {
    this.registry = registry;
    this.proxy = proxy;
    hits = counter("harp_cache_hits", "Requests answered from the cache without the upstream (fresh or allowed stale)");
    misses = counter("harp_cache_misses", "Cacheable requests with nothing usable stored (forwarded)");
    stores = counter("harp_cache_stores", "Responses written to the cache");
    storedBytes = counter("harp_cache_stored_bytes", "Body bytes written to the cache");
    coalesced = counter("harp_cache_coalesced", "Requests that waited for another request's upstream fetch");
    invalidations = counter("harp_cache_invalidations", "Entries invalidated by unsafe requests (RFC 9111 §4.4)");
    purged = counter("harp_cache_purged", "Entries removed by PURGE or the admin purge API");
    evictions = counter("harp_cache_evictions", "Entries evicted for space (maxSizePerNode) on this member");
    expirations = counter("harp_cache_expirations", "Entries whose Hazelcast TTL ran out on this member");
    Gauge.builder("harp_cache_bytes", this, m -> m.bytesHeld).tag("proxy", proxy)
        .description("Heap bytes of this proxy's cache entries held by this member (owned + backup)")
        .baseUnit("bytes").register(registry);
    Gauge.builder("harp_cache_entries", this, m -> m.entriesOwned).tag("proxy", proxy)
        .description("Cache entries owned by this member").register(registry);
    Gauge.builder("harp_cache_writes_pending", writesPending, AtomicInteger::get).tag("proxy", proxy)
        .description("Cache writes and background revalidations in progress on this node").register(registry);
  }

  private Counter counter(String name, String description) {
    return Counter.builder(name).description(description).tag("proxy", proxy).register(registry);
  }

  private Counter tagged(String name, String description, String tag, String value) {
    return dynamic.computeIfAbsent(name + '|' + value, k -> Counter.builder(name).description(description)
        .tag("proxy", proxy).tag(tag, value).register(registry));
  }

  void staleServed(String reason) {
    tagged("harp_cache_stale_served", "Stale responses served, by what allowed it", "reason", reason).increment();
  }

  void revalidation(String outcome) {
    tagged("harp_cache_revalidations", "Validations of stored responses with the upstream, by outcome", "outcome",
        outcome).increment();
  }

  void notStored(String reason) {
    tagged("harp_cache_not_stored", "Responses to cacheable requests that were not stored, by reason", "reason",
        reason).increment();
  }

  void error(String operation) {
    tagged("harp_cache_errors", "Hazelcast operations of the cache that failed (served as a miss / not stored)",
        "operation", operation).increment();
  }
}
