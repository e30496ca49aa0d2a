package dev.harp.resilience;

import io.vertx.core.json.JsonObject;

import java.io.Serializable;

/**
 * The last circuit state change of one endpoint anywhere in the cluster, in the map
 * {@code harp.resilience.breakers}: a node that starts (or the dashboard) reads the circuits opened before it came.
 *
 * @param state     {@code open}, {@code half-open} or {@code closed}
 * @param node      node whose breaker changed
 * @param at        when (epoch ms)
 * @param openUntil for {@code open}: when that node lets a trial through (epoch ms)
 */
public record BreakerRecord(String state, String node, long at, long openUntil) implements Serializable {

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("state", state).put("node", node).put("at", at);
    if (openUntil > 0) {
      json.put("openUntil", openUntil);
    }
    return json;
  }
}
