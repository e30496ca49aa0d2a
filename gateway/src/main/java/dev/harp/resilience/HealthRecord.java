package dev.harp.resilience;

import io.vertx.core.json.JsonObject;

import java.io.Serializable;

/**
 * One endpoint's health as the prober last recorded it, in the cluster map {@code harp.resilience.health}. The
 * counters live here, not in the prober, so a newly elected prober carries on where the last one stopped.
 *
 * @param successes  good probes in a row (0 after a bad one)
 * @param failures   bad probes in a row (0 after a good one)
 * @param lastStatus status of the last probe, 0 when it got no response
 * @param lastError  why the last probe failed, null when it passed
 * @param checkedAt  when the last probe finished (epoch ms)
 * @param changedAt  when {@code healthy} last flipped (epoch ms), 0 if never
 * @param prober     node that made the last probe
 */
public record HealthRecord(boolean healthy, int successes, int failures, int lastStatus, String lastError,
                           long checkedAt, long changedAt, String prober) implements Serializable {

  /** Before any probe: healthy, so a fresh cluster routes at once. */
  static final HealthRecord UNKNOWN = new HealthRecord(true, 0, 0, 0, null, 0, 0, null);

  /** The record after one more probe; {@code healthy} flips only when a threshold is reached. */
  HealthRecord next(boolean ok, int status, String error, long at, String node, int healthyThreshold,
                    int unhealthyThreshold) {
    int s = ok ? successes + 1 : 0;
    int f = ok ? 0 : failures + 1;
    boolean h = healthy ? !(f >= unhealthyThreshold) : s >= healthyThreshold;
    return new HealthRecord(h, s, f, status, error, at, h != healthy ? at : changedAt, node);
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("healthy", healthy).put("successes", successes)
        .put("failures", failures).put("lastStatus", lastStatus).put("checkedAt", checkedAt)
        .put("changedAt", changedAt).put("prober", prober);
    if (lastError != null) {
      json.put("lastError", lastError);
    }
    return json;
  }

  static HealthRecord fromJson(JsonObject json) {
    return new HealthRecord(json.getBoolean("healthy"), json.getInteger("successes"), json.getInteger("failures"),
        json.getInteger("lastStatus"), json.getString("lastError"), json.getLong("checkedAt"),
        json.getLong("changedAt"), json.getString("prober"));
  }
}
