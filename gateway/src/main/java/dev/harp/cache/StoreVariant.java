package dev.harp.cache;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Adds (or replaces) one variant of a resource atomically on the partition owner, and sets the entry's TTL: two nodes
 * storing different variants of one URL at once must not lose either (a node-side read-modify-write would). The
 * same processor runs on the backup, so it is deterministic: every time comes from the caller.
 */
public final class StoreVariant implements EntryProcessor<String, StoredResource, Long>, DataSerializable {

  private StoredResponse variant;
  private long ttlMillis;
  private int maxVariants;

  /** For Hazelcast's deserializer. */
  public StoreVariant() {
  }

  StoreVariant(StoredResponse variant, long ttlMillis, int maxVariants) {
    this.variant = variant;
    this.ttlMillis = ttlMillis;
    this.maxVariants = maxVariants;
  }

  /** Returns the stored resource's approximate size in bytes. */
  @Override
  public Long process(Map.Entry<String, StoredResource> entry) {
    StoredResource current = entry.getValue();
    StoredResource next = current == null ? new StoredResource(java.util.List.of(variant))
        : current.with(variant, maxVariants);
    // The entry's TTL becomes the new variant's: an older variant may go a little early, which costs one refetch,
    // never a wrong answer (every use re-checks freshness).
    @SuppressWarnings("unchecked")
    ExtendedMapEntry<String, StoredResource> extended = (ExtendedMapEntry<String, StoredResource>) entry;
    extended.setValue(next, Math.max(1000, ttlMillis), TimeUnit.MILLISECONDS);
    return next.approximateBytes();
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    StoredResource.writeResponse(out, variant);
    out.writeLong(ttlMillis);
    out.writeInt(maxVariants);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    variant = StoredResource.readResponse(in);
    ttlMillis = in.readLong();
    maxVariants = in.readInt();
  }
}
