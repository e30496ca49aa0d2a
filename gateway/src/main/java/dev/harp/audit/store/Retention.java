package dev.harp.audit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * Prunes the oldest records, by age and by size, a bounded chunk per step so the writer goes back to the queue in
 * between. Runs on the writer's connection.
 * <p>
 * Only a prefix of the log is ever pruned, so the records kept are always one contiguous run of indexes (bundles need
 * that). By age, the prefix ends at the first record that is young enough; a record that completed late (a long
 * exchange) can therefore outlive its retention by at most its own duration. Leaf hashes are never pruned: proofs for
 * the records kept need every leaf.
 * <p>
 * By size, the database's used pages ({@code (page_count - freelist_count) * page_size}; freed pages are reused, the
 * file does not shrink) are brought under 90% of {@code maxBytes}, estimating each record's share as used bytes less
 * the leaf table, over the records kept. The full-text index frees its space on merges, a little later, so a step
 * may prune somewhat more than the estimate needed; never more than a chunk before measuring again.
 */
final class Retention {

  static final int CHUNK = 2_000;
  /** A leaf row's approximate share of the file: 32-byte hash, rowid, cell and page overhead. */
  static final int LEAF_BYTES = 48;

  private final Connection c;
  private final AuditStoreSettings settings;

  Retention(Connection c, AuditStoreSettings settings) {
    this.c = c;
    this.settings = settings;
  }

  /** Prunes at most one chunk; the number of records deleted, 0 when nothing is due. */
  int step(long logSize) throws SQLException {
    long first = single("SELECT min(idx) FROM records", -1);
    if (first < 0) {
      return 0;
    }
    long end = firstYoung(first, settings.clock().millis() - settings.retainFor().toMillis());
    if (end == first) {
      end = first + oversize(first, logSize);
    }
    return end == first ? 0 : delete(first, end);
  }

  /** The index ending the too-old prefix that starts at {@code first}, looking at one chunk at most. */
  private long firstYoung(long first, long cutoff) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT idx, ts FROM records WHERE idx >= ? ORDER BY idx LIMIT ?")) {
      ps.setLong(1, first);
      ps.setInt(2, CHUNK);
      long end = first;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (rs.getLong(2) >= cutoff) {
            return rs.getLong(1);
          }
          end = rs.getLong(1) + 1;
        }
      }
      return end;
    }
  }

  /** How many of the oldest records to prune for size, at most a chunk. */
  private long oversize(long first, long logSize) throws SQLException {
    long used = usedBytes();
    if (used <= settings.maxBytes()) {
      return 0;
    }
    long kept = single("SELECT max(idx) FROM records", first) - first + 1;
    long target = settings.maxBytes() / 10 * 9;
    long perRecord = Math.max(1, (used - logSize * LEAF_BYTES) / kept);
    long n = (used - target + perRecord - 1) / perRecord;
    return Math.max(1, Math.min(Math.min(n, kept), CHUNK));
  }

  long usedBytes() throws SQLException {
    return (single("PRAGMA page_count", 0) - single("PRAGMA freelist_count", 0)) * single("PRAGMA page_size", 0);
  }

  private int delete(long from, long to) throws SQLException {
    return Tx.run(c, conn -> {
      Map<String, Integer> released = new HashMap<>();
      try (PreparedStatement ps = conn.prepareStatement(
          "SELECT request_sha256, response_sha256 FROM records WHERE idx >= ? AND idx < ?")) {
        range(ps, from, to);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            count(released, rs.getString(1));
            count(released, rs.getString(2));
          }
        }
      }
      update(conn, "DELETE FROM records_fts WHERE rowid >= ? AND rowid < ?", from, to);
      update(conn, "DELETE FROM record_text WHERE idx >= ? AND idx < ?", from, to);
      int deleted = update(conn, "DELETE FROM records WHERE idx >= ? AND idx < ?", from, to);
      release(conn, released);
      return deleted;
    });
  }

  /** Drops the pruned records' references to their blobs, and the blobs no record points at any more. */
  private static void release(Connection conn, Map<String, Integer> released) throws SQLException {
    try (PreparedStatement dec = conn.prepareStatement("UPDATE blobs SET refs = refs - ? WHERE sha256 = ?");
         PreparedStatement drop = conn.prepareStatement("DELETE FROM blobs WHERE sha256 = ? AND refs <= 0")) {
      for (Map.Entry<String, Integer> e : released.entrySet()) {
        dec.setInt(1, e.getValue());
        dec.setString(2, e.getKey());
        dec.executeUpdate();
        drop.setString(1, e.getKey());
        drop.executeUpdate();
      }
    }
  }

  private static void count(Map<String, Integer> released, String sha) {
    if (sha != null) {
      released.merge(sha, 1, Integer::sum);
    }
  }

  private static int update(Connection conn, String sql, long from, long to) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(sql)) {
      range(ps, from, to);
      return ps.executeUpdate();
    }
  }

  private static void range(PreparedStatement ps, long from, long to) throws SQLException {
    ps.setLong(1, from);
    ps.setLong(2, to);
  }

  private long single(String sql, long ifNull) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      if (!rs.next()) {
        return ifNull;
      }
      long v = rs.getLong(1);
      return rs.wasNull() ? ifNull : v;
    }
  }
}
