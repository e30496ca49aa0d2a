package dev.harp.ratelimit;

import com.hazelcast.map.ExtendedMapEntry;

import java.util.concurrent.TimeUnit;

/** An IMap entry in a field, for running entry processors without a cluster (replayed clocks, simulations). */
final class MemoryEntry implements ExtendedMapEntry<String, long[]> {

  private final String key;
  long[] value;
  long ttlMillis = -1;

  MemoryEntry(String key) {
    this.key = key;
  }

  @Override
  public long[] setValue(long[] v, long ttl, TimeUnit unit) {
    long[] old = value;
    value = v;
    ttlMillis = unit.toMillis(ttl);
    return old;
  }

  @Override
  public long[] setValueWithoutChangingExpiryTime(long[] v) {
    return setValue(v);
  }

  @Override
  public String getKey() {
    return key;
  }

  @Override
  public long[] getValue() {
    return value;
  }

  @Override
  public long[] setValue(long[] v) {
    long[] old = value;
    value = v;
    return old;
  }
}
