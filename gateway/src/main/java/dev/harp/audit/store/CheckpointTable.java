package dev.harp.audit.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The {@code checkpoints} this node signed and the {@code witnessed} checkpoints of other logs. Saves run on the
 * writer's connection and commit with {@code synchronous=FULL}: the WAL is fsynced, so the saved row, and every leaf
 * committed before it, survive power loss. A checkpoint given out and then lost with its leaves would let the node
 * restart, reuse those indexes for other records, and contradict what it signed.
 */
final class CheckpointTable {

  private CheckpointTable() {
  }

  static void save(Connection c, long size, String note, boolean isFinal, long now) throws SQLException {
    durably(c, conn -> {
      try (PreparedStatement ps = conn.prepareStatement("""
          INSERT INTO checkpoints (size, note, final, saved_at) VALUES (?, ?, ?, ?)
          ON CONFLICT (size) DO UPDATE SET note = excluded.note, final = max(final, excluded.final),
                                          saved_at = excluded.saved_at""")) {
        ps.setLong(1, size);
        ps.setString(2, note);
        ps.setInt(3, isFinal ? 1 : 0);
        ps.setLong(4, now);
        return ps.executeUpdate();
      }
    });
  }

  static boolean saveWitnessed(Connection c, String origin, long size, byte[] root, String note, long now)
      throws SQLException {
    return durably(c, conn -> {
      try (PreparedStatement ps = conn.prepareStatement("""
          INSERT INTO witnessed (origin, size, root, note, saved_at) VALUES (?, ?, ?, ?, ?)
          ON CONFLICT (origin) DO UPDATE SET size = excluded.size, root = excluded.root, note = excluded.note,
                                            saved_at = excluded.saved_at
          WHERE excluded.size >= witnessed.size""")) {
        ps.setString(1, origin);
        ps.setLong(2, size);
        ps.setBytes(3, root);
        ps.setString(4, note);
        ps.setLong(5, now);
        return ps.executeUpdate() > 0;
      }
    });
  }

  static Optional<StoredCheckpoint> latest(Connection c, boolean finalOnly) throws SQLException {
    return one(c, "SELECT size, note, final, saved_at FROM checkpoints" + (finalOnly ? " WHERE final = 1" : "")
        + " ORDER BY size DESC LIMIT 1");
  }

  static Optional<StoredCheckpoint> at(Connection c, long size) throws SQLException {
    return one(c, "SELECT size, note, final, saved_at FROM checkpoints WHERE size = " + size);
  }

  /** The first final checkpoint that covers leaf {@code index}. */
  static Optional<StoredCheckpoint> firstFinalCovering(Connection c, long index) throws SQLException {
    return one(c, "SELECT size, note, final, saved_at FROM checkpoints WHERE final = 1 AND size > " + index
        + " ORDER BY size LIMIT 1");
  }

  static Optional<Witnessed> witnessed(Connection c, String origin) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT origin, size, root, note, saved_at FROM witnessed WHERE origin = ?")) {
      ps.setString(1, origin);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new Witnessed(rs.getString(1), rs.getLong(2), rs.getBytes(3), rs.getString(4), rs.getLong(5)))
            : Optional.empty();
      }
    }
  }

  private static Optional<StoredCheckpoint> one(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next()
          ? Optional.of(new StoredCheckpoint(rs.getLong(1), rs.getString(2), rs.getInt(3) == 1, rs.getLong(4)))
          : Optional.empty();
    }
  }

  private static <T> T durably(Connection c, Sql<T> work) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA synchronous = FULL");
      try {
        return Tx.run(c, work);
      } finally {
        s.execute("PRAGMA synchronous = NORMAL");
      }
    }
  }
}
