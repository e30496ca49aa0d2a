package dev.harp.ratelimit;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Applies on a backup replica exactly the keys its primary changed (an empty value: removed). Re-running the decision
 * there instead would read another clock.
 */
public final class BucketDelta implements EntryProcessor<String, KeyBucket, Map<String, long[]>>, DataSerializable {

  static final long[] REMOVED = new long[0];

  private Map<String, long[]> changes;

  public BucketDelta() {
  }

  BucketDelta(Map<String, long[]> changes) {
    this.changes = changes;
  }

  @Override
  public Map<String, long[]> process(Map.Entry<String, KeyBucket> entry) {
    KeyBucket bucket = entry.getValue() == null ? new KeyBucket() : entry.getValue();
    for (Map.Entry<String, long[]> c : changes.entrySet()) {
      if (c.getValue().length == 0) {
        bucket.remove(c.getKey());
      } else {
        bucket.put(c.getKey(), c.getValue());
      }
    }
    entry.setValue(bucket);
    return null;
  }

  @Override
  public EntryProcessor<String, KeyBucket, Map<String, long[]>> getBackupProcessor() {
    return null;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(changes.size());
    for (Map.Entry<String, long[]> c : changes.entrySet()) {
      out.writeString(c.getKey());
      out.writeLongArray(c.getValue());
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    int n = in.readInt();
    changes = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      changes.put(in.readString(), in.readLongArray());
    }
  }
}
