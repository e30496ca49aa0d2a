package dev.harp.ratelimit;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Local mode: one node's round of reconciliation for one bucket's keys ({@link SyncStep}, per key). */
public final class SyncProcessor extends BucketProcessor {

  private long member;
  private long staleNanos;
  /** key → {@link SyncStep#args} */
  private Map<String, long[]> args;

  public SyncProcessor() {
  }

  SyncProcessor(Rates rates, int capacity, long member, long staleNanos, Map<String, long[]> args) {
    super(rates, capacity);
    this.member = member;
    this.staleNanos = staleNanos;
    this.args = args;
  }

  @Override
  protected Iterable<String> keys() {
    return args.keySet();
  }

  @Override
  protected Step step(String key, long[] stored, long now) {
    return SyncStep.apply(stored, now, emission, args.get(key), member, staleNanos);
  }

  @Override
  protected boolean stale(long[] value, long now) {
    return SyncStep.stale(value, emission.length, now, staleNanos);
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    super.writeData(out);
    out.writeLong(member);
    out.writeLong(staleNanos);
    out.writeInt(args.size());
    for (Map.Entry<String, long[]> e : args.entrySet()) {
      out.writeString(e.getKey());
      out.writeLongArray(e.getValue());
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    super.readData(in);
    member = in.readLong();
    staleNanos = in.readLong();
    int n = in.readInt();
    args = new LinkedHashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      args.put(in.readString(), in.readLongArray());
    }
  }
}
