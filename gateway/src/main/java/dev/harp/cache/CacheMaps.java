package dev.harp.cache;

import com.hazelcast.config.EvictionConfig;
import com.hazelcast.config.EvictionPolicy;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MaxSizePolicy;
import com.hazelcast.config.NearCacheConfig;

/** The Hazelcast map behind one proxy's cache, as configured from its {@code cache:} block. */
final class CacheMaps {

  private CacheMaps() {
  }

  static MapConfig config(String proxy, CacheSettings s) {
    int megabytes = (int) Math.max(1, s.maxSizePerNode() >> 20);
    EvictionPolicy policy = switch (s.eviction()) {
      case LRU -> EvictionPolicy.LRU;
      case LFU -> EvictionPolicy.LFU;
      case RANDOM -> EvictionPolicy.RANDOM;
    };
    MapConfig map = new MapConfig(Purges.mapName(proxy))
        .setBackupCount(s.backups())
        .setAsyncBackupCount(0)
        // Entries stay serialized in the map (the heap-size limit needs BINARY); the near cache keeps objects.
        .setInMemoryFormat(InMemoryFormat.BINARY)
        .setStatisticsEnabled(true)
        .setEvictionConfig(new EvictionConfig().setEvictionPolicy(policy)
            .setMaxSizePolicy(MaxSizePolicy.USED_HEAP_SIZE).setSize(megabytes));
    if (s.nearCacheEntries() > 0) {
      map.setNearCacheConfig(new NearCacheConfig(Purges.mapName(proxy))
          .setInMemoryFormat(InMemoryFormat.OBJECT)
          .setInvalidateOnChange(true)
          // Also for entries this member owns: a standalone node would otherwise never use its near cache.
          .setCacheLocalEntries(true)
          // Bounds how long a missed invalidation could matter, and makes hot entries touch the map now and then
          // so its LRU/LFU statistics see them (near-cache hits never reach the map).
          .setTimeToLiveSeconds((int) Math.max(1, s.nearCacheTtl().toSeconds()))
          .setEvictionConfig(new EvictionConfig().setEvictionPolicy(EvictionPolicy.LRU)
              .setMaxSizePolicy(MaxSizePolicy.ENTRY_COUNT).setSize(s.nearCacheEntries())));
    }
    return map;
  }
}
