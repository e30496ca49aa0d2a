package dev.harp.ratelimit;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Applies on a backup replica exactly the value its primary wrote, with the same time to live. */
public final class StateBackup implements EntryProcessor<String, long[], long[]>, DataSerializable {

  private long[] value;
  private long ttlMillis;

  public StateBackup() {
  }

  StateBackup(long[] value, long ttlMillis) {
    this.value = value;
    this.ttlMillis = ttlMillis;
  }

  @Override
  public long[] process(Map.Entry<String, long[]> entry) {
    ((ExtendedMapEntry<String, long[]>) entry).setValue(value, ttlMillis, TimeUnit.MILLISECONDS);
    return null;
  }

  @Override
  public EntryProcessor<String, long[], long[]> getBackupProcessor() {
    return null;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLongArray(value);
    out.writeLong(ttlMillis);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    value = in.readLongArray();
    ttlMillis = in.readLong();
  }
}
