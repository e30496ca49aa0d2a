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
 * <p>Charging δ admissions is exactly GCRA replayed over them: {@code TAT = max(TAT + δ·T, G)}, where G is the TAT
 * the node's own admissions reached on their own (sent relative to its clock, placed on the owner's). Charging them
 * all at the owner's "now" instead would pretend the key sat idle until then and overcharge every round.
 *
 * <p>Value layout: {@code [TAT_0 .. TAT_m-1, (member, seenAt, demand)*]}; a member's demand counts until it is
 * {@code staleNanos} old. Result: {@code [now, ownDemand, totalDemand, TAT_0 .. TAT_m-1]}.
 */
public final class SyncProcessor implements EntryProcessor<String, long[], long[]>, DataSerializable {

  static final int MAX_MEMBERS = 64;
  /** No own admissions on this limit since the last sync. */
  static final long NONE = Long.MIN_VALUE;

  private long[] emission;
  private long[] ownAhead;
  private long delta;
  private long demand;
  private long member;
  private long staleNanos;
  private transient long[] written;
  private transient long ttlMillis;

  public SyncProcessor() {
  }

  SyncProcessor(Rates rates, long delta, long[] ownAhead, long demand, long member, long staleNanos) {
    this.emission = rates.emission();
    this.ownAhead = ownAhead;
    this.delta = delta;
    this.demand = demand;
    this.member = member;
    this.staleNanos = staleNanos;
  }

  @Override
  public long[] process(Map.Entry<String, long[]> entry) {
    return process(entry, WallClock.nanos());
  }

  /** With the clock as a parameter, so tests can replay time. */
  long[] process(Map.Entry<String, long[]> entry, long now) {
    int m = emission.length;
    long[] stored = entry.getValue();
    boolean valid = stored != null && stored.length >= m && (stored.length - m) % 3 == 0;
    long[] tats = new long[m];
    if (valid) {
      System.arraycopy(stored, 0, tats, 0, m);
    }
    if (delta > 0) {
      for (int k = 0; k < m; k++) {
        long own = ownAhead[k] == NONE ? Long.MIN_VALUE : now + ownAhead[k];
        tats[k] = Math.max(tats[k] + delta * emission[k], own);
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
    out.writeLongArray(ownAhead);
    out.writeLong(delta);
    out.writeLong(demand);
    out.writeLong(member);
    out.writeLong(staleNanos);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    emission = in.readLongArray();
    ownAhead = in.readLongArray();
    delta = in.readLong();
    demand = in.readLong();
    member = in.readLong();
    staleNanos = in.readLong();
  }
}
