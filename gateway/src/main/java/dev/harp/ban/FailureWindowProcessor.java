package dev.harp.ban;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import dev.harp.cluster.WallClock;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Counts one failure of a client on the key's partition owner, in an exact sliding window: the value keeps the times
 * of the client's last {@code threshold} failures (a ring, one value per key), and the client crosses the threshold
 * when the oldest of them is within the window. Crossing empties the ring, so one burst of failures bans once and a
 * client starts afresh when its ban ends.
 *
 * <p>Value: {@code [next, t_0 .. t_threshold-1]} (epoch ns, 0 = empty). Result: {@code true} once, on the crossing.
 */
public final class FailureWindowProcessor implements EntryProcessor<String, long[], Boolean>, DataSerializable {

  private int threshold;
  private long windowNanos;
  private transient long[] written;
  private transient long ttlMillis;

  public FailureWindowProcessor() {
  }

  FailureWindowProcessor(int threshold, long windowNanos) {
    this.threshold = threshold;
    this.windowNanos = windowNanos;
  }

  @Override
  public Boolean process(Map.Entry<String, long[]> entry) {
    return process(entry, WallClock.nanos());
  }

  Boolean process(Map.Entry<String, long[]> entry, long now) {
    long[] stored = entry.getValue();
    long[] ring = stored == null || stored.length != threshold + 1 ? new long[threshold + 1] : stored.clone();
    int next = (int) ring[0];
    ring[1 + next] = now;
    next = (next + 1) % threshold;
    ring[0] = next;
    long oldest = ring[1 + next];
    boolean crossed = oldest != 0 && now - oldest <= windowNanos;
    if (crossed) {
      java.util.Arrays.fill(ring, 0);
    }
    ttlMillis = windowNanos / 1_000_000 + 1_000;
    written = ring;
    ((ExtendedMapEntry<String, long[]>) entry).setValue(ring, ttlMillis, TimeUnit.MILLISECONDS);
    return crossed;
  }

  @Override
  public EntryProcessor<String, long[], Boolean> getBackupProcessor() {
    return written == null ? null : new RingBackup(written, ttlMillis);
  }

  /** The backup gets the primary's value; re-running would read another clock. */
  public static final class RingBackup implements EntryProcessor<String, long[], Boolean>, DataSerializable {
    private long[] value;
    private long ttl;

    public RingBackup() {
    }

    RingBackup(long[] value, long ttl) {
      this.value = value;
      this.ttl = ttl;
    }

    @Override
    public Boolean process(Map.Entry<String, long[]> entry) {
      ((ExtendedMapEntry<String, long[]>) entry).setValue(value, ttl, TimeUnit.MILLISECONDS);
      return null;
    }

    @Override
    public EntryProcessor<String, long[], Boolean> getBackupProcessor() {
      return null;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeLongArray(value);
      out.writeLong(ttl);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      value = in.readLongArray();
      ttl = in.readLong();
    }
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(threshold);
    out.writeLong(windowNanos);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    threshold = in.readInt();
    windowNanos = in.readLong();
  }
}
