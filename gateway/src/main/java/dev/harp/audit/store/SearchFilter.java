package dev.harp.audit.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An {@link AuditQuery} as a WHERE clause over {@code records} (alias {@code r}) and its parameters. Free text is
 * turned into an FTS5 query of quoted words here, so what a user types is never FTS5 syntax.
 */
record SearchFilter(String where, List<Object> params) {

  static SearchFilter of(AuditQuery q) {
    StringBuilder where = new StringBuilder("1 = 1");
    List<Object> params = new ArrayList<>();
    equal(where, params, "r.proxy", q.proxy());
    equal(where, params, "r.method", q.method());
    equal(where, params, "r.request_id", q.requestId());
    if (q.from() != null) {
      where.append(" AND r.ts >= ?");
      params.add(q.from());
    }
    if (q.to() != null) {
      where.append(" AND r.ts <= ?");
      params.add(q.to());
    }
    if (q.path() != null) {
      where.append(" AND instr(lower(r.path), ?) > 0");
      params.add(q.path().toLowerCase(Locale.ROOT));
    }
    status(where, params, q.status());
    String match = ftsQuery(q.text());
    if (match != null) {
      where.append(" AND r.idx IN (SELECT rowid FROM records_fts WHERE records_fts MATCH ?)");
      params.add(match);
    }
    return new SearchFilter(where.toString(), params);
  }

  private static void equal(StringBuilder where, List<Object> params, String column, String value) {
    if (value != null) {
      where.append(" AND ").append(column).append(" = ?");
      params.add(value);
    }
  }

  private static void status(StringBuilder where, List<Object> params, String status) {
    if (status == null) {
      return;
    }
    if (status.equals("error")) {
      where.append(" AND (r.status >= 500 OR r.failure IS NOT NULL)");
    } else if (status.endsWith("xx")) {
      int base = (status.charAt(0) - '0') * 100;
      where.append(" AND r.status BETWEEN ? AND ?");
      params.add(base);
      params.add(base + 99);
    } else {
      where.append(" AND r.status = ?");
      params.add(Integer.parseInt(status));
    }
  }

  /**
   * Every whitespace-separated word as a quoted FTS5 string (all must match); a trailing {@code *} stays outside the
   * quotes as a prefix match. Null when there is no word.
   */
  static String ftsQuery(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (String word : text.trim().split("\\s+")) {
      boolean prefix = word.length() > 1 && word.endsWith("*");
      String body = prefix ? word.substring(0, word.length() - 1) : word;
      if (body.isEmpty() || body.equals("*")) {
        continue;
      }
      if (!out.isEmpty()) {
        out.append(' ');
      }
      out.append('"').append(body.replace("\"", "\"\"")).append('"').append(prefix ? "*" : "");
    }
    return out.isEmpty() ? null : out.toString();
  }
}
