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
 * One cluster-mode decision for {@code requests} coalesced requests on one key, run by the key's partition owner on
 * its partition thread: read the TATs, admit, write them back, all in one step no other decision can interleave with.
 * The owner's clock is the only clock a key's decisions see (while it owns the partition).
 *
 * <p>Result: {@code [admitted, now, start_0 .. start_m-1]} where {@code start_k = max(TAT_k, now)} before the batch,
 * enough for the caller to give each request of the batch its own exact RateLimit header.
 *
 * <p>The backup replica gets the written value, not this processor: re-running it there would read another clock.
 */
public final class GcraProcessor implements EntryProcessor<String, long[], long[]>, DataSerializable {

  private long[] emission;
  private long[] tolerance;
  private int requests;
  private transient long[] written;
  private transient long ttlMillis;

  public GcraProcessor() {
  }

  GcraProcessor(Rates rates, int requests) {
    this.emission = rates.emission();
    this.tolerance = rates.tolerance();
    this.requests = requests;
  }

  @Override
  public long[] process(Map.Entry<String, long[]> entry) {
    return process(entry, WallClock.nanos());
  }

  /** With the clock as a parameter, so tests can replay time. */
  long[] process(Map.Entry<String, long[]> entry, long now) {
    long[] result = decide(entry, now, emission, tolerance, requests);
    if (result[0] > 0) {
      written = entry.getValue();
      ttlMillis = ttlMillis(written, now);
    }
    return result;
  }

  /**
   * The decision itself, shared with {@link GcraBatchProcessor}: admits up to {@code n} requests, writes the TATs back
   * with a TTL if any was admitted, and returns {@code [admitted, now, start_0 .. start_m-1]}.
   */
  static long[] decide(Map.Entry<String, long[]> entry, long now, long[] emission, long[] tolerance, int n) {
    int m = emission.length;
    long[] stored = entry.getValue();
    // A value of another shape belongs to an older config of this policy: start afresh rather than misread it.
    long[] tats = stored == null || stored.length != m ? new long[m] : stored.clone();
    long[] result = new long[2 + m];
    result[1] = now;
    for (int k = 0; k < m; k++) {
      result[2 + k] = Math.max(tats[k], now);
    }
    int admitted = Gcra.admit(tats, emission, tolerance, now, n);
    result[0] = admitted;
    if (admitted > 0) {
      ((ExtendedMapEntry<String, long[]>) entry).setValue(tats, ttlMillis(tats, now), TimeUnit.MILLISECONDS);
    }
    return result;
  }

  /** Once every TAT is in the past the key is as good as new: the entry may expire then and free its memory. */
  static long ttlMillis(long[] tats, long now) {
    long max = now;
    for (long t : tats) {
      max = Math.max(max, t);
    }
    return (max - now) / 1_000_000 + 1_000;
  }

  @Override
  public EntryProcessor<String, long[], long[]> getBackupProcessor() {
    return written == null ? null : new StateBackup(written, ttlMillis);
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLongArray(emission);
    out.writeLongArray(tolerance);
    out.writeInt(requests);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    emission = in.readLongArray();
    tolerance = in.readLongArray();
    requests = in.readInt();
  }
}
