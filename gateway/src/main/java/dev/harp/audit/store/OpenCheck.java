package dev.harp.audit.store;

import dev.harp.audit.tlog.LeafHashes;
import dev.harp.audit.tlog.MerkleLog;
import dev.harp.audit.tlog.Rfc9162;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Optional;

/**
 * What opening the store checks before it extends the log: the Merkle log is rebuilt from the leaf table (gapless,
 * 32-byte hashes); the latest stored checkpoint's root must be the rebuilt log's root at that size; and the
 * canonical text of the newest records must hash to their leaves. Any disagreement refuses the open with an
 * {@link AuditIntegrityException} naming the size or index. Re-hashing every record is {@code verify}'s job: it reads
 * the whole database.
 */
final class OpenCheck {

  static final int RECENT_RECORDS = 1_000;

  private OpenCheck() {
  }

  static MerkleLog rebuild(Connection c, LeafHashes leaves) throws SQLException {
    MerkleLog log = new MerkleLog(leaves);
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT idx, hash FROM leaves ORDER BY idx")) {
      while (rs.next()) {
        long idx = rs.getLong(1);
        byte[] hash = rs.getBytes(2);
        if (idx != log.size()) {
          throw new AuditIntegrityException("the leaf table has no leaf " + log.size() + " (next is " + idx + ")");
        }
        if (hash == null || hash.length != Rfc9162.HASH_SIZE) {
          throw new AuditIntegrityException("leaf " + idx + " is not a " + Rfc9162.HASH_SIZE + "-byte hash");
        }
        log.append(hash);
      }
    }
    return log;
  }

  static void checkLatestCheckpoint(Connection c, MerkleLog log) throws SQLException {
    Optional<StoredCheckpoint> latest = CheckpointTable.latest(c, false);
    if (latest.isEmpty()) {
      return;
    }
    long size = latest.get().size();
    CheckpointText text;
    try {
      text = CheckpointText.parse(latest.get().note());
    } catch (IllegalArgumentException e) {
      throw new AuditIntegrityException("the stored checkpoint at size " + size + " is unreadable: " + e.getMessage());
    }
    if (text.size() != size) {
      throw new AuditIntegrityException("the stored checkpoint at size " + size + " says size " + text.size());
    }
    if (size > log.size()) {
      throw new AuditIntegrityException("the stored checkpoint at size " + size + " is beyond the leaf table's "
          + log.size() + " leaves");
    }
    if (!Arrays.equals(log.root(size), text.root())) {
      throw new AuditIntegrityException("the leaf table's root at size " + size
          + " differs from the stored checkpoint at that size");
    }
  }

  static void checkRecentRecords(Connection c, long logSize, int recent) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("""
        SELECT t.idx, t.canonical, l.hash FROM record_text t LEFT JOIN leaves l ON l.idx = t.idx
        WHERE t.idx >= ? ORDER BY t.idx""")) {
      ps.setLong(1, Math.max(0, logSize - recent));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long idx = rs.getLong(1);
          byte[] leaf = rs.getBytes(3);
          if (leaf == null) {
            throw new AuditIntegrityException("record " + idx + " has no leaf in the leaf table");
          }
          byte[] canonical = rs.getString(2).getBytes(StandardCharsets.UTF_8);
          if (!Arrays.equals(Rfc9162.leafHash(canonical), leaf)) {
            throw new AuditIntegrityException("record " + idx + " does not hash to its leaf: its text was altered");
          }
        }
      }
    }
  }
}
