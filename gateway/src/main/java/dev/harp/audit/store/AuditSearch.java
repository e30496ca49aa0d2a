package dev.harp.audit.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The dashboard's reads: searches over the summary rows (and the full-text index), and one record's detail, parsed
 * from its canonical text with previews of its bodies. Run on a read connection.
 */
final class AuditSearch {

  private static final String SUMMARY_COLUMNS =
      "r.idx, r.ts, r.node, r.proxy, r.method, r.path, r.status, r.failure, r.duration_us, r.request_id, r.upstream,"
          + " r.bytes_out";

  private AuditSearch() {
  }

  /** Counted and listed in one snapshot, so {@code matched} and the items agree. */
  static JsonObject search(Connection c, AuditQuery q) throws SQLException {
    SearchFilter f = SearchFilter.of(q);
    long matched;
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM records r WHERE " + f.where())) {
      bind(ps, f.params());
      try (ResultSet rs = ps.executeQuery()) {
        matched = rs.next() ? rs.getLong(1) : 0;
      }
    }
    JsonArray items = new JsonArray();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + SUMMARY_COLUMNS + " FROM records r WHERE " + f.where()
        + " ORDER BY r.idx DESC LIMIT " + q.limit())) {
      bind(ps, f.params());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          items.add(summary(rs));
        }
      }
    }
    return new JsonObject().put("matched", matched).put("items", items);
  }

  static Optional<JsonObject> detail(Connection c, long index) throws SQLException {
    String text;
    try (PreparedStatement ps = c.prepareStatement("SELECT canonical FROM record_text WHERE idx = ?")) {
      ps.setLong(1, index);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        text = rs.getString(1);
      }
    }
    JsonObject record = new JsonObject(text).put("index", index);
    preview(c, record.getJsonObject("request"));
    preview(c, record.getJsonObject("response"));
    return Optional.of(record);
  }

  static Optional<Long> newestWithRequestId(Connection c, String requestId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT idx FROM records WHERE request_id = ? ORDER BY idx DESC LIMIT 1")) {
      ps.setString(1, requestId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
      }
    }
  }

  /** Adds {@code preview} (and {@code encoding}: text or hex) to a side's body whose bytes are stored. */
  private static void preview(Connection c, JsonObject side) throws SQLException {
    JsonObject body = side == null ? null : side.getJsonObject("body");
    if (body == null || body.getString("sha256") == null) {
      return;
    }
    byte[] bytes = Blobs.read(c, body.getString("sha256"));
    if (bytes == null) {
      return;
    }
    String text = BodyText.utf8(bytes, body.getBoolean("truncated", false));
    if (text != null) {
      body.put("encoding", "text").put("preview", text);
    } else {
      body.put("encoding", "hex").put("preview", BodyText.hexPreview(bytes));
    }
  }

  private static JsonObject summary(ResultSet rs) throws SQLException {
    JsonObject s = new JsonObject()
        .put("index", rs.getLong(1))
        .put("ts", rs.getLong(2));
    putIfSet(s, "node", rs.getString(3));
    putIfSet(s, "proxy", rs.getString(4));
    putIfSet(s, "method", rs.getString(5));
    putIfSet(s, "path", rs.getString(6));
    s.put("status", rs.getInt(7));
    putIfSet(s, "failure", rs.getString(8));
    s.put("durationMs", rs.getLong(9) / 1000.0);
    putIfSet(s, "requestId", rs.getString(10));
    putIfSet(s, "upstream", rs.getString(11));
    s.put("bytesOut", rs.getLong(12));
    return s;
  }

  private static void putIfSet(JsonObject o, String key, String value) {
    if (value != null) {
      o.put(key, value);
    }
  }

  private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      ps.setObject(i + 1, params.get(i));
    }
  }
}
