package dev.harp.resilience;

import com.hazelcast.map.EntryProcessor;

import java.util.Map;

/**
 * The atomic changes HARP makes to its resilience maps, each run by Hazelcast on the key's partition owner (and
 * replayed on its backup), so two nodes never read-modify-write the same entry.
 */
final class ClusterUpdates {

  private ClusterUpdates() {
  }

  /** One probe's result folded into the endpoint's health record; returns the new record. */
  record Probe(boolean ok, int status, String error, long at, String prober, int healthyThreshold,
               int unhealthyThreshold) implements EntryProcessor<String, HealthRecord, HealthRecord> {

    @Override
    public HealthRecord process(Map.Entry<String, HealthRecord> entry) {
      HealthRecord current = entry.getValue() == null ? HealthRecord.UNKNOWN : entry.getValue();
      HealthRecord next = current.next(ok, status, error, at, prober, healthyThreshold, unhealthyThreshold);
      entry.setValue(next);
      return next;
    }
  }

  /** A breaker state change, kept only if it is not older than the one stored. */
  record Breaker(BreakerRecord change) implements EntryProcessor<String, BreakerRecord, BreakerRecord> {

    @Override
    public BreakerRecord process(Map.Entry<String, BreakerRecord> entry) {
      BreakerRecord current = entry.getValue();
      if (current == null || change.at() >= current.at()) {
        entry.setValue(change);
        return change;
      }
      return current;
    }
  }
}
