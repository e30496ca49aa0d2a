package dev.harp.audit.store;

import dev.harp.audit.tlog.LeafHashes;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** The Merkle log's view of the {@code leaves} table, read through the read pool (never the writer's connection). */
final class LeafTable implements LeafHashes {

  private final ReadPool pool;

  LeafTable(ReadPool pool) {
    this.pool = pool;
  }

  @Override
  public byte[][] read(long from, long to) {
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("leaf range [" + from + ", " + to + ")");
    }
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
