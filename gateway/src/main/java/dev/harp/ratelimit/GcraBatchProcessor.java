package dev.harp.ratelimit;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The decisions of one event-loop tick for many keys, sent with {@code submitToKeys}: Hazelcast runs it once per
 * partition involved, on that partition's thread, so each key is still decided in one atomic step on its owner, but
 * a partition thread wakes once for a whole batch instead of once per request.
 *
 * <p>One instance serves several partition threads at once (Hazelcast shares it between the partitions of a
 * member), so it keeps no per-call state except in a concurrent map: the values written, for the backups.
 */
public final class GcraBatchProcessor implements EntryProcessor<String, long[], long[]>, DataSerializable {

  private long[] emission;
  private long[] tolerance;
  private Map<String, Integer> requests;
  private final transient Map<String, long[]> written = new ConcurrentHashMap<>();

  public GcraBatchProcessor() {
  }

  GcraBatchProcessor(Rates rates, Map<String, Integer> requests) {
    this.emission = rates.emission();
    this.tolerance = rates.tolerance();
    this.requests = requests;
  }

  @Override
  public long[] process(Map.Entry<String, long[]> entry) {
    long now = WallClock.nanos();
    long[] result = GcraProcessor.decide(entry, now, emission, tolerance, requests.getOrDefault(entry.getKey(), 0));
    if (result[0] > 0) {
      long[] value = entry.getValue();
      long[] withTtl = java.util.Arrays.copyOf(value, value.length + 1);
      withTtl[value.length] = GcraProcessor.ttlMillis(value, now);
      written.put(entry.getKey(), withTtl);
    }
    return result;
  }

  /** Called per partition after it ran: carries what was written (other partitions' keys are ignored there). */
  @Override
  public EntryProcessor<String, long[], long[]> getBackupProcessor() {
    return written.isEmpty() ? null : new Backup(new HashMap<>(written));
  }

  /** Applies on a backup replica the values the primary wrote, with their TTLs. */
  public static final class Backup implements EntryProcessor<String, long[], long[]>, DataSerializable {
    private Map<String, long[]> values;

    public Backup() {
    }

    Backup(Map<String, long[]> values) {
      this.values = values;
    }

    @Override
    public long[] process(Map.Entry<String, long[]> entry) {
      long[] v = values.get(entry.getKey());
      if (v != null) {
        ((ExtendedMapEntry<String, long[]>) entry).setValue(java.util.Arrays.copyOf(v, v.length - 1),
            v[v.length - 1], TimeUnit.MILLISECONDS);
      }
      return null;
    }

    @Override
    public EntryProcessor<String, long[], long[]> getBackupProcessor() {
      return null;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeInt(values.size());
      for (Map.Entry<String, long[]> e : values.entrySet()) {
        out.writeString(e.getKey());
        out.writeLongArray(e.getValue());
      }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      int n = in.readInt();
      values = new HashMap<>(n * 2);
      for (int i = 0; i < n; i++) {
        values.put(in.readString(), in.readLongArray());
      }
    }
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLongArray(emission);
    out.writeLongArray(tolerance);
    out.writeInt(requests.size());
    for (Map.Entry<String, Integer> e : requests.entrySet()) {
      out.writeString(e.getKey());
      out.writeInt(e.getValue());
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    emission = in.readLongArray();
    tolerance = in.readLongArray();
    int n = in.readInt();
    requests = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      requests.put(in.readString(), in.readInt());
    }
  }
}
