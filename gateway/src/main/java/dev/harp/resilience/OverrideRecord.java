package dev.harp.resilience;

import io.vertx.core.json.JsonObject;

import java.io.Serializable;

/**
 * An operator's maintenance override of one endpoint, in the cluster map {@code harp.resilience.maintenance}.
 *
 * @param state  {@code up} or {@code down} ({@code auto} only in events, when an override is cleared)
 * @param by     node whose admin API set it
 * @param reason free text from the operator, may be null
 * @param at     when it was set (epoch ms); the newest decision wins on every node
 */
public record OverrideRecord(String state, String by, String reason, long at) implements Serializable {

  JsonObject toJson() {
    return new JsonObject().put("state", state).put("by", by).put("reason", reason).put("at", at);
  }
}
