package dev.harp.ratelimit;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Cluster mode: the waiting requests of one bucket's keys, {@code key → how many}, each key decided in order. */
public final class DecideProcessor extends BucketProcessor {

  private long[] tolerance;
  private Map<String, Integer> requests;

  public DecideProcessor() {
  }

  DecideProcessor(Rates rates, int capacity, Map<String, Integer> requests) {
    super(rates, capacity);
    this.tolerance = rates.tolerance();
    this.requests = requests;
  }

  @Override
  protected Iterable<String> keys() {
    return requests.keySet();
  }

  @Override
  protected Step step(String key, long[] stored, long now) {
    return ClusterStep.decide(stored, now, emission, tolerance, requests.get(key));
  }

  @Override
  protected boolean stale(long[] value, long now) {
    return ClusterStep.stale(value, now);
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    super.writeData(out);
    out.writeLongArray(tolerance);
    out.writeInt(requests.size());
    for (Map.Entry<String, Integer> e : requests.entrySet()) {
      out.writeString(e.getKey());
      out.writeInt(e.getValue());
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    super.readData(in);
    tolerance = in.readLongArray();
    int n = in.readInt();
    requests = new LinkedHashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      requests.put(in.readString(), in.readInt());
    }
  }
}
