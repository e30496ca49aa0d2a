package dev.harp.ratelimit;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Local mode's reconciliation of one key, on its partition owner: adds the admissions a node made since its last
 * sync to the key's cluster TATs (they happened: they are charged unconditionally), records how many requests the
 * node saw (its demand), and returns the cluster's TATs and the key's total demand over all nodes.
 *
 * <p>Value layout: {@code [TAT_0 .. TAT_m-1, (member, seenAt, demand)*]}; a member's demand counts until it is
 * {@code staleNanos} old. Result: {@code [now, ownDemand, totalDemand, TAT_0 .. TAT_m-1]}.
 */
public final class SyncProcessor implements EntryProcessor<String, long[], long[]>, DataSerializable {

  static final int MAX_MEMBERS = 64;

  private long[] emission;
  private long delta;
  private long demand;
  private long member;
  private long staleNanos;
  private transient long[] written;
  private transient long ttlMillis;

  public SyncProcessor() {
  }

  SyncProcessor(Rates rates, long delta, long demand, long member, long staleNanos) {
    this.emission = rates.emission();
    this.delta = delta;
    this.demand = demand;
    this.member = member;
    this.staleNanos = staleNanos;
  }

  @Override
  public long[] process(Map.Entry<String, long[]> entry) {
    long now = WallClock.nanos();
    int m = emission.length;
    long[] stored = entry.getValue();
    boolean valid = stored != null && stored.length >= m && (stored.length - m) % 3 == 0;
    long[] tats = new long[m];
    if (valid) {
      System.arraycopy(stored, 0, tats, 0, m);
    }
    if (delta > 0) {
      for (int k = 0; k < m; k++) {
        tats[k] = Math.max(tats[k], now) + delta * emission[k];
      }
    }
    long[] slots = new long[3 * MAX_MEMBERS];
    int n = 0;
    long total = 0;
    if (demand > 0) {
      slots[0] = member;
      slots[1] = now;
      slots[2] = demand;
      n = 1;
      total = demand;
    }
    for (int i = m; valid && i < stored.length && n < MAX_MEMBERS; i += 3) {
      if (stored[i] != member && now - stored[i + 1] <= staleNanos) {
        slots[3 * n] = stored[i];
        slots[3 * n + 1] = stored[i + 1];
        slots[3 * n + 2] = stored[i + 2];
        total += stored[i + 2];
        n++;
      }
    }
    long[] value = new long[m + 3 * n];
    System.arraycopy(tats, 0, value, 0, m);
    System.arraycopy(slots, 0, value, m, 3 * n);
    long ttl = Math.max(GcraProcessor.ttlMillis(tats, now), staleNanos / 1_000_000 + 1_000);
    ((ExtendedMapEntry<String, long[]>) entry).setValue(value, ttl, TimeUnit.MILLISECONDS);
    written = value;
    ttlMillis = ttl;
    long[] result = new long[3 + m];
    result[0] = now;
    result[1] = demand;
    result[2] = total;
    System.arraycopy(tats, 0, result, 3, m);
    return result;
  }

  @Override
  public EntryProcessor<String, long[], long[]> getBackupProcessor() {
    return written == null ? null : new StateBackup(written, ttlMillis);
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLongArray(emission);
    out.writeLong(delta);
    out.writeLong(demand);
    out.writeLong(member);
    out.writeLong(staleNanos);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    emission = in.readLongArray();
    delta = in.readLong();
    demand = in.readLong();
    member = in.readLong();
    staleNanos = in.readLong();
  }
}
