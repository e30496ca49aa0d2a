package dev.harp.resilience;

import dev.harp.spi.Exchange;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.json.JsonObject;

/**
 * Whether one endpoint of one proxy may take traffic on this node, from four sources: the cluster-wide maintenance
 * override, the cluster-wide health verdict, this node's outlier ejection, and the circuit breaker (local, with
 * peers' openings applied). Written rarely from several threads, read on every pick: each source is one volatile.
 */
final class EndpointGuard {

  /** An operator's maintenance decision; {@code UP} ignores health and ejection, never the circuit breaker. */
  enum Override { NONE, UP, DOWN }

  private final String proxy;
  private final EndpointInfo endpoint;
  private final String key;
  private final EndpointBreaker breaker;
  private final OutlierTracker outlier;
  private volatile Override override = Override.NONE;
  private volatile OverrideRecord overrideRecord;
  private volatile boolean healthy = true;
  private volatile HealthRecord health;
  private volatile boolean ejected;
  private volatile long ejectedUntilMillis;

  EndpointGuard(String proxy, EndpointInfo endpoint, EndpointBreaker breaker, OutlierTracker outlier) {
    this.proxy = proxy;
    this.endpoint = endpoint;
    this.key = key(proxy, endpoint.label());
    this.breaker = breaker;
    this.outlier = outlier;
  }

  /** The key of this endpoint's entries in the cluster maps. */
  static String key(String proxy, String endpointLabel) {
    return proxy + " " + endpointLabel;
  }

  /** Hot path: may an attempt go to this endpoint now? */
  boolean admits() {
    Override o = override;
    if (o == Override.DOWN) {
      return false;
    }
    if (o == Override.NONE && (!healthy || ejected)) {
      return false;
    }
    return breaker == null || breaker.admits();
  }

  /** Only the circuit breaker keeps it out (so the client hears "circuit open", with when to come back). */
  boolean onlyCircuitOpen() {
    Override o = override;
    boolean otherwiseUp = o == Override.UP || (o == Override.NONE && healthy && !ejected);
    return otherwiseUp && breaker != null && !breaker.admits();
  }

  /** Why it takes no traffic, for problem details; null when it does. */
  String whyNot() {
    Override o = override;
    if (o == Override.DOWN) {
      return "maintenance";
    }
    if (o == Override.NONE && !healthy) {
      return "unhealthy";
    }
    if (o == Override.NONE && ejected) {
      return "ejected";
    }
    if (breaker != null && !breaker.admits()) {
      return breaker.state() == CircuitBreakerState.OPEN ? "circuit open" : "circuit half-open, trial in flight";
    }
    return null;
  }

  void success(Exchange exchange) {
    if (outlier != null) {
      outlier.success();
    }
    if (breaker != null) {
      breaker.success(exchange);
    }
  }

  /** Records a failure; returns the outlier ejection it triggers (ms), or 0. */
  long failure(Exchange exchange) {
    if (breaker != null) {
      breaker.failure(exchange);
    }
    return outlier == null ? 0 : outlier.failure();
  }

  void eject(long untilMillis) {
    ejectedUntilMillis = untilMillis;
    ejected = true;
  }

  void endEjection() {
    ejected = false;
    ejectedUntilMillis = 0;
    if (outlier != null) {
      outlier.ejectionEnded();
    }
  }

  boolean ejected() {
    return ejected;
  }

  long ejectedUntilMillis() {
    return ejectedUntilMillis;
  }

  /** Applies a health verdict unless it is older than the one held (events and map reads may cross). */
  void health(HealthRecord record) {
    HealthRecord held = health;
    if (held != null && record.checkedAt() < held.checkedAt()) {
      return;
    }
    health = record;
    healthy = record.healthy();
  }

  boolean healthy() {
    return healthy;
  }

  HealthRecord healthRecord() {
    return health;
  }

  /** Applies an override (a null record clears it) unless older than the one held. */
  void override(OverrideRecord record, long at) {
    OverrideRecord held = overrideRecord;
    if (held != null && at < held.at()) {
      return;
    }
    overrideRecord = record == null ? new OverrideRecord("auto", null, null, at) : record;
    override = record == null ? Override.NONE : Override.valueOf(record.state().toUpperCase());
  }

  Override override() {
    return override;
  }

  EndpointBreaker breaker() {
    return breaker;
  }

  OutlierTracker outlier() {
    return outlier;
  }

  String proxy() {
    return proxy;
  }

  EndpointInfo endpoint() {
    return endpoint;
  }

  String key() {
    return key;
  }

  /** This node's view, for the admin API. */
  JsonObject toJson() {
    JsonObject json = endpoint.toJson()
        .put("available", admits())
        .put("healthy", healthy)
        .put("override", override.name().toLowerCase());
    String why = whyNot();
    if (why != null) {
      json.put("unavailableBecause", why);
    }
    HealthRecord h = health;
    if (h != null) {
      json.put("health", h.toJson());
    }
    OverrideRecord o = overrideRecord;
    if (o != null && override != Override.NONE) {
      json.put("maintenance", o.toJson());
    }
    if (ejected) {
      json.put("ejectedUntil", ejectedUntilMillis);
    }
    if (outlier != null) {
      json.put("consecutiveFailures", outlier.consecutiveFailures());
    }
    if (breaker != null) {
      json.put("circuit", breaker.state().name().toLowerCase().replace('_', '-'));
    }
    return json;
  }
}
