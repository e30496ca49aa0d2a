package dev.harp.cache;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.util.Map;

/**
 * Removes a resource (every variant) and answers whether there was one, without shipping the old value back as
 * {@code IMap.remove} would. Going through the calling member's map proxy also drops that member's near-cache copy
 * at once.
 */
public final class RemoveResource implements EntryProcessor<String, StoredResource, Boolean>, DataSerializable {

  public RemoveResource() {
  }

  @Override
  public Boolean process(Map.Entry<String, StoredResource> entry) {
    if (entry.getValue() == null) {
      return false;
    }
    entry.setValue(null);
    return true;
  }

  @Override
  public void writeData(ObjectDataOutput out) {
  }

  @Override
  public void readData(ObjectDataInput in) {
  }
}
