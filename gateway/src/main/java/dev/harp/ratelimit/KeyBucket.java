package dev.harp.ratelimit;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Many keys' state in one map entry: one value per key, least recently used first. A policy's keys are spread over a
 * few buckets ({@link Buckets}), so one entry-processor call decides every key of a bucket that is waiting, and a
 * partition thread wakes once per bucket instead of once per request. Stored in OBJECT format: the owner updates it
 * in place, backups receive only the keys that changed ({@link BucketDelta}); only a migration serializes it whole.
 * Only ever touched on its partition's thread.
 */
public final class KeyBucket implements DataSerializable {

  private final LinkedHashMap<String, long[]> keys = new LinkedHashMap<>(16, 0.75f, true);

  long[] get(String key) {
    return keys.get(key);
  }

  void put(String key, long[] value) {
    keys.put(key, value);
  }

  void remove(String key) {
    keys.remove(key);
  }

  int size() {
    return keys.size();
  }

  /**
   * Drops up to {@code scan} least recently used keys that are as good as new, then, beyond {@code capacity}, the
   * least recently used whatever their state. Removals are recorded in {@code changes} (an empty value).
   *
   * @return how many were dropped for lack of room (their usage is forgotten: the caller counts them)
   */
  int tidy(Predicate<long[]> stale, int scan, int capacity, Map<String, long[]> changes) {
    Iterator<Map.Entry<String, long[]>> it = keys.entrySet().iterator();
    for (int i = 0; i < scan && it.hasNext(); i++) {
      Map.Entry<String, long[]> e = it.next();
      if (!stale.test(e.getValue())) {
        break;
      }
      it.remove();
      changes.put(e.getKey(), BucketDelta.REMOVED);
    }
    int evicted = 0;
    it = keys.entrySet().iterator();
    while (keys.size() > capacity && it.hasNext()) {
      Map.Entry<String, long[]> e = it.next();
      it.remove();
      changes.put(e.getKey(), BucketDelta.REMOVED);
      evicted++;
    }
    return evicted;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(keys.size());
    for (Map.Entry<String, long[]> e : keys.entrySet()) {
      out.writeString(e.getKey());
      out.writeLongArray(e.getValue());
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    int n = in.readInt();
    for (int i = 0; i < n; i++) {
      keys.put(in.readString(), in.readLongArray());
    }
  }
}
