package dev.harp.audit.store;

import dev.harp.audit.tlog.LeafHashes;
import dev.harp.audit.tlog.MerkleLog;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Merkle log's view of the {@code leaves} table, read through its own pool (never the writer's connection).
 * Complete tiles are cached (a few hundred KB): an export proves hundreds of neighbouring records, whose proofs read
 * the same one or two tiles, and leaves never change once written.
 */
final class LeafTable implements LeafHashes {

  static final int CACHED_TILES = 64;

  private final ReadPool pool;
  private final Map<Long, byte[][]> tiles = new LinkedHashMap<>(CACHED_TILES, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, byte[][]> eldest) {
      return size() > CACHED_TILES;
    }
  };

  LeafTable(ReadPool pool) {
    this.pool = pool;
  }

  @Override
  public byte[][] read(long from, long to) {
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("leaf range [" + from + ", " + to + ")");
    }
    boolean tile = from % MerkleLog.TILE_LEAVES == 0 && to - from == MerkleLog.TILE_LEAVES;
    if (tile) {
      byte[][] cached;
      synchronized (tiles) {
        cached = tiles.get(from);
      }
      if (cached != null) {
        return cached.clone();
      }
    }
    byte[][] read = query(from, to);
    if (tile) {
      synchronized (tiles) {
        tiles.put(from, read.clone());
      }
    }
    return read;
  }

  private byte[][] query(long from, long to) {
    return pool.read(c -> {
      byte[][] out = new byte[Math.toIntExact(to - from)][];
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT idx, hash FROM leaves WHERE idx >= ? AND idx < ? ORDER BY idx")) {
        ps.setLong(1, from);
        ps.setLong(2, to);
        try (ResultSet rs = ps.executeQuery()) {
          int n = 0;
          while (rs.next()) {
            if (rs.getLong(1) != from + n) {
              throw new AuditStoreException("leaf " + (from + n) + " is missing from the leaf table");
            }
            out[n++] = rs.getBytes(2);
          }
          if (n != out.length) {
            throw new AuditStoreException("leaf " + (from + n) + " is missing from the leaf table");
          }
        }
      }
      return out;
    });
  }
}
