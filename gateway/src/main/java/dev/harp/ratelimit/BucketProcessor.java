package dev.harp.ratelimit;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import dev.harp.cluster.WallClock;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The keys of one bucket that are waiting, decided in one atomic step on the bucket's partition owner: each key is
 * updated exactly as if alone ({@link ClusterStep} or {@link SyncStep}), then stale keys are tidied away and the
 * bucket kept within its capacity. Result: each key's result, plus {@link #EVICTED} if keys had to make room.
 */
public abstract class BucketProcessor implements EntryProcessor<String, KeyBucket, Map<String, long[]>>,
    DataSerializable {

  /** Result key for the number of keys evicted for lack of room (no real key starts with a NUL). */
  static final String EVICTED = "\u0000evicted";
  /** Least recently used keys looked at per call for tidying: bounded work, and enough to keep up with new keys. */
  static final int TIDY_SCAN = 8;

  protected long[] emission;
  protected int capacity;
  private transient Map<String, long[]> changes;

  protected BucketProcessor() {
  }

  protected BucketProcessor(Rates rates, int capacity) {
    this.emission = rates.emission();
    this.capacity = capacity;
  }

  /** The keys this call carries. */
  protected abstract Iterable<String> keys();

  protected abstract Step step(String key, long[] stored, long now);

  protected abstract boolean stale(long[] value, long now);

  @Override
  public Map<String, long[]> process(Map.Entry<String, KeyBucket> entry) {
    return process(entry, WallClock.nanos());
  }

  /** With the clock as a parameter, so tests can replay time. */
  Map<String, long[]> process(Map.Entry<String, KeyBucket> entry, long now) {
    KeyBucket bucket = entry.getValue() == null ? new KeyBucket() : entry.getValue();
    changes = new HashMap<>();
    Map<String, long[]> results = new HashMap<>();
    for (String key : keys()) {
      Step s = step(key, bucket.get(key), now);
      results.put(key, s.result());
      if (s.value() != null) {
        bucket.put(key, s.value());
        changes.put(key, s.value());
      }
    }
    int evicted = bucket.tidy(v -> stale(v, now), TIDY_SCAN, capacity, changes);
    if (evicted > 0) {
      results.put(EVICTED, new long[] {evicted});
    }
    if (!changes.isEmpty()) {
      entry.setValue(bucket);
    }
    return results;
  }

  @Override
  public EntryProcessor<String, KeyBucket, Map<String, long[]>> getBackupProcessor() {
    return changes == null || changes.isEmpty() ? null : new BucketDelta(changes);
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLongArray(emission);
    out.writeInt(capacity);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    emission = in.readLongArray();
    capacity = in.readInt();
  }
}
