package dev.harp.audit.store;

import dev.harp.audit.store.AuditRecord.BodyCapture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;

/**
 * Writes a batch of encoded records in one transaction: summary row, canonical text, full-text row, body blobs
 * (inserted once, else their reference count goes up) and leaf hash. Statements are prepared once for the writer's
 * connection.
 */
final class BatchWriter implements AutoCloseable {

  private final Connection c;
  private final PreparedStatement record;
  private final PreparedStatement text;
  private final PreparedStatement fts;
  private final PreparedStatement blob;
  private final PreparedStatement leaf;

  BatchWriter(Connection c) throws SQLException {
    this.c = c;
    this.record = c.prepareStatement("""
        INSERT INTO records (idx, ts, node, proxy, method, path, status, failure, request_id, upstream, duration_us,
                             bytes_out, request_sha256, response_sha256)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""");
    this.text = c.prepareStatement("INSERT INTO record_text (idx, canonical) VALUES (?, ?)");
    this.fts = c.prepareStatement("INSERT INTO records_fts (rowid, path, headers, body) VALUES (?, ?, ?, ?)");
    this.blob = c.prepareStatement("""
        INSERT INTO blobs (sha256, data, refs) VALUES (?, ?, 1)
        ON CONFLICT (sha256) DO UPDATE SET refs = refs + 1""");
    this.leaf = c.prepareStatement("INSERT INTO leaves (idx, hash) VALUES (?, ?)");
  }

  void write(List<EncodedRecord> batch) throws SQLException {
    Tx.run(c, conn -> {
      for (EncodedRecord e : batch) {
        insert(e);
      }
      return null;
    });
  }

  private void insert(EncodedRecord e) throws SQLException {
    AuditRecord r = e.record();
    record.setLong(1, e.index());
    record.setLong(2, r.startedAt());
    record.setString(3, r.node());
    record.setString(4, r.proxy());
    record.setString(5, r.method());
    record.setString(6, r.path());
    record.setInt(7, r.status());
    record.setString(8, r.failure());
    record.setString(9, r.requestId());
    record.setString(10, r.upstream());
    record.setLong(11, r.durationMicros());
    record.setLong(12, r.bytesOut());
    record.setString(13, e.requestSha());
    record.setString(14, e.responseSha());
    record.executeUpdate();

    text.setLong(1, e.index());
    text.setString(2, e.text());
    text.executeUpdate();

    fts.setLong(1, e.index());
    fts.setString(2, r.path());
    fts.setString(3, SearchText.headers(r));
    String bodies = SearchText.bodies(r);
    if (bodies == null) {
      fts.setNull(4, Types.VARCHAR);
    } else {
      fts.setString(4, bodies);
    }
    fts.executeUpdate();

    blob(e.requestSha(), r.requestBody());
    blob(e.responseSha(), r.responseBody());

    leaf.setLong(1, e.index());
    leaf.setBytes(2, e.leafHash());
    leaf.executeUpdate();
  }

  private void blob(String sha, BodyCapture body) throws SQLException {
    if (body == null) {
      return;
    }
    blob.setString(1, sha);
    blob.setBytes(2, body.kept());
    blob.executeUpdate();
  }

  @Override
  public void close() throws SQLException {
    for (PreparedStatement ps : new PreparedStatement[] {record, text, fts, blob, leaf}) {
      ps.close();
    }
  }
}
