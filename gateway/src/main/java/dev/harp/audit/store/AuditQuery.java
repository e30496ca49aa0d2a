package dev.harp.audit.store;

import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * A search over the audit store, as the dashboard's transaction search sends it. Every criterion is optional (null or
 * blank means any); they combine with AND; results come newest first.
 *
 * @param method    exact, case-insensitive
 * @param status    {@code 2xx}..{@code 5xx}, {@code error} (status 500 or more, or a failure), or an exact code
 * @param path      case-insensitive (ASCII) substring of the path
 * @param text      words to find in the path, headers and captured text bodies (FTS5): every word must occur; a
 *                  word ending in {@code *} matches as a prefix. Quoting is done here, so no input is a syntax error.
 * @param from      earliest start, epoch milliseconds, inclusive
 * @param to        latest start, epoch milliseconds, inclusive
 * @param limit     items returned at most, 1..{@value #MAX_LIMIT}; 0 or less means {@value #DEFAULT_LIMIT}
 */
public record AuditQuery(String proxy, String method, String status, String path, String text, Long from, Long to,
                         String requestId, int limit) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 500;

  public AuditQuery {
    proxy = blank(proxy);
    method = blank(method) == null ? null : method.trim().toUpperCase(Locale.ROOT);
    status = blank(status) == null ? null : status.trim().toLowerCase(Locale.ROOT);
    path = blank(path);
    text = blank(text);
    requestId = blank(requestId);
    limit = limit <= 0 ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT);
    if (status != null && !status.matches("error|[1-5]xx|[1-9][0-9]{2}")) {
      throw new IllegalArgumentException("status must be 1xx..5xx, error or a three-digit code, got " + status);
    }
  }

  /** Everything, newest first, {@value #DEFAULT_LIMIT} at most. */
  public static AuditQuery all() {
    return new AuditQuery(null, null, null, null, null, null, null, null, 0);
  }

  /** From the dashboard's JSON (same member names). */
  public static AuditQuery from(JsonObject q) {
    JsonObject j = q == null ? new JsonObject() : q;
    return new AuditQuery(j.getString("proxy"), j.getString("method"), j.getString("status"), j.getString("path"),
        j.getString("text"), j.getLong("from"), j.getLong("to"), j.getString("requestId"), j.getInteger("limit", 0));
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
