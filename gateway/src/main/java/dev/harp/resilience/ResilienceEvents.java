package dev.harp.resilience;

import dev.harp.observe.EventAddresses;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes what the resilience feature does on the clustered event bus (shapes in docs/resilience.md), logs it,
 * and counts it. Every message carries the publishing node, the proxy, the endpoint and a timestamp.
 */
final class ResilienceEvents implements ResilienceFilter.Ejections {

  private static final Logger LOG = LoggerFactory.getLogger("harp.resilience");

  private final Vertx vertx;
  private final String node;
  private final ResilienceMetrics metrics;

  ResilienceEvents(Vertx vertx, String node, ResilienceMetrics metrics) {
    this.vertx = vertx;
    this.node = node;
    this.metrics = metrics;
  }

  static String stateName(CircuitBreakerState state) {
    return state.name().toLowerCase().replace('_', '-');
  }

  String node() {
    return node;
  }

  private JsonObject envelope(EndpointGuard guard) {
    return new JsonObject().put("node", node).put("proxy", guard.proxy()).put("endpoint", guard.endpoint().label())
        .put("ts", System.currentTimeMillis());
  }

  void breaker(EndpointGuard guard, BreakerRecord change, boolean shared) {
    LOG.atWarn().addKeyValue("proxy", guard.proxy()).addKeyValue("endpoint", guard.endpoint().label())
        .log("circuit {} for {}", change.state(), guard.endpoint().label());
    vertx.eventBus().publish(EventAddresses.BREAKERS, envelope(guard).mergeIn(change.toJson())
        .put("shared", shared));
  }

  void health(EndpointGuard guard, HealthRecord record, boolean changed) {
    if (changed) {
      LOG.atWarn().addKeyValue("proxy", guard.proxy()).addKeyValue("endpoint", guard.endpoint().label())
          .log("endpoint {} is now {}{}", guard.endpoint().label(), record.healthy() ? "healthy" : "unhealthy",
              record.lastError() == null ? "" : " (" + record.lastError() + ")");
    }
    vertx.eventBus().publish(EventAddresses.HEALTH, envelope(guard).put("record", record.toJson())
        .put("changed", changed));
  }

  void maintenance(EndpointGuard guard, OverrideRecord record) {
    LOG.atWarn().addKeyValue("proxy", guard.proxy()).addKeyValue("endpoint", guard.endpoint().label())
        .log("maintenance override of {}: {}{}", guard.endpoint().label(), record.state(),
            record.reason() == null ? "" : " (" + record.reason() + ")");
    vertx.eventBus().publish(EventAddresses.MAINTENANCE, envelope(guard).mergeIn(record.toJson()));
  }

  @Override
  public void ejected(EndpointGuard guard, long millis) {
    metrics.ejection(guard);
    LOG.atWarn().addKeyValue("proxy", guard.proxy()).addKeyValue("endpoint", guard.endpoint().label())
        .log("ejected {} for {} ms after consecutive failures", guard.endpoint().label(), millis);
    vertx.eventBus().publish(EventAddresses.EJECTIONS, envelope(guard).put("ejected", true)
        .put("durationMs", millis).put("until", guard.ejectedUntilMillis()));
  }

  @Override
  public void returned(EndpointGuard guard) {
    LOG.atInfo().addKeyValue("proxy", guard.proxy()).addKeyValue("endpoint", guard.endpoint().label())
        .log("ejection of {} ended", guard.endpoint().label());
    vertx.eventBus().publish(EventAddresses.EJECTIONS, envelope(guard).put("ejected", false));
  }

  @Override
  public void skipped(EndpointGuard guard, String why) {
    LOG.atWarn().addKeyValue("proxy", guard.proxy()).addKeyValue("endpoint", guard.endpoint().label())
        .log("not ejecting {}: {}", guard.endpoint().label(), why);
    vertx.eventBus().publish(EventAddresses.EJECTIONS, envelope(guard).put("ejected", false)
        .put("skipped", why));
  }

  /** The last second's retries of one proxy on this node (sent only when there were retries or refusals). */
  void retries(String proxy, long retries, long refused, long requests) {
    if (refused > 0) {
      LOG.atWarn().addKeyValue("proxy", proxy).log("retry budget of {} spent: {} retries refused in the last "
          + "second", proxy, refused);
    }
    vertx.eventBus().publish(EventAddresses.RETRIES, new JsonObject().put("node", node).put("proxy", proxy)
        .put("ts", System.currentTimeMillis()).put("windowMs", 1000).put("requests", requests)
        .put("retries", retries).put("budgetExhausted", refused));
  }
}
