package dev.harp.cache;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.IMap;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;
import com.hazelcast.query.Predicate;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Runs on every member (Hazelcast executor, never an event loop) to purge one key or a target prefix. Each member
 * removes what it owns, counting it, and goes through its own map proxy so its own near cache loses the entries at
 * once: when the purge call returns, no member can still serve a purged response from local memory.
 */
public final class PurgeTask implements Callable<Integer>, DataSerializable, HazelcastInstanceAware {

  private String mapName;
  private String key;
  private String prefix;
  /** Second phase of a prefix purge: only the sweep (stragglers, this member's near cache), counting nothing. */
  private boolean sweep;
  private transient HazelcastInstance hazelcast;

  /** For Hazelcast's deserializer. */
  public PurgeTask() {
  }

  PurgeTask(String mapName, String key, String prefix) {
    this(mapName, key, prefix, false);
  }

  PurgeTask(String mapName, String key, String prefix, boolean sweep) {
    this.mapName = mapName;
    this.key = key;
    this.prefix = prefix;
    this.sweep = sweep;
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
    this.hazelcast = hazelcastInstance;
  }

  @Override
  public Integer call() {
    IMap<String, StoredResource> map = hazelcast.getMap(mapName);
    RemoveResource remove = new RemoveResource();
    if (key != null) {
      // Every member runs this; only the first finds the entry, and each drops its own near-cache copy.
      return Boolean.TRUE.equals(map.executeOnKey(key, remove)) ? 1 : 0;
    }
    TargetPrefix matching = new TargetPrefix(prefix);
    if (sweep) {
      // Run only once every member has counted its own: removeAll is cluster-wide, and run alongside the counting
      // phase it took other members' entries before they could count them (the purge then under-reported).
      map.removeAll(matching); // stragglers (migrations), and it clears this member's near cache
      return 0;
    }
    int removed = 0;
    for (String k : map.localKeySet(matching)) {
      if (Boolean.TRUE.equals(map.executeOnKey(k, remove))) {
        removed++;
      }
    }
    return removed;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(mapName);
    out.writeString(key);
    out.writeString(prefix);
    out.writeBoolean(sweep);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    mapName = in.readString();
    key = in.readString();
    prefix = in.readString();
    sweep = in.readBoolean();
  }

  /** Keys whose request-target part starts with a prefix ("" matches all). */
  public static final class TargetPrefix implements Predicate<String, StoredResource>, DataSerializable {

    private String prefix;

    public TargetPrefix() {
    }

    TargetPrefix(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public boolean apply(Map.Entry<String, StoredResource> entry) {
      return CacheKeys.targetOf(entry.getKey()).startsWith(prefix);
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
      out.writeString(prefix);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
      prefix = in.readString();
    }
  }
}
