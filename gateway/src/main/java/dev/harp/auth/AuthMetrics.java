package dev.harp.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One proxy's auth meters. Tags carry outcomes and consumer names (from the config or the admin API, so bounded),
 * never users, keys or credentials.
 */
final class AuthMetrics {

  enum Outcome {
    PUBLIC, SESSION, API_KEY, UNAUTHORIZED, FORBIDDEN, UNAVAILABLE;

    final String tag = name().toLowerCase();
  }

  private final MeterRegistry registry;
  private final String proxy;
  private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
  private final Map<SessionCache.Source, Counter> lookups = new EnumMap<>(SessionCache.Source.class);
  private final Map<String, Counter> consumers = new ConcurrentHashMap<>();

  AuthMetrics(MeterRegistry registry, String proxy) {
    this.registry = registry;
    this.proxy = proxy;
    for (Outcome o : Outcome.values()) {
      outcomes.put(o, Counter.builder("harp_auth_requests").tag("proxy", proxy).tag("outcome", o.tag)
          .description("Requests by auth outcome").register(registry));
    }
    for (SessionCache.Source s : SessionCache.Source.values()) {
      lookups.put(s, Counter.builder("harp_auth_session_lookups").tag("proxy", proxy)
          .tag("source", s.name().toLowerCase())
          .description("Forward-auth decisions by where they came from: the cluster cache, an auth-endpoint call, "
              + "or a call already running on this node").register(registry));
    }
  }

  void outcome(Outcome o) {
    outcomes.get(o).increment();
  }

  void lookup(SessionCache.Source s) {
    lookups.get(s).increment();
  }

  void consumer(String name) {
    consumers.computeIfAbsent(name, n -> Counter.builder("harp_consumer_requests").tag("proxy", proxy)
        .tag("consumer", n).description("Requests accepted with a consumer's API key").register(registry)).increment();
  }
}
