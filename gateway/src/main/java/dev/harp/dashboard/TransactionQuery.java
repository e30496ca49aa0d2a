package dev.harp.dashboard;

import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * A search over stored transactions, as the Transactions view sends it. Every criterion is optional; they combine
 * with AND. {@code status} is a class ({@code 2xx}...{@code 5xx}), {@code error} (5xx or ended abnormally) or an
 * exact code; {@code path} is a case-insensitive substring; {@code from}/{@code to} are epoch milliseconds.
 */
record TransactionQuery(String proxy, String node, String method, String status, String path, Long from, Long to,
                        String requestId, int limit) {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 500;

  static TransactionQuery from(JsonObject q) {
    JsonObject j = q == null ? new JsonObject() : q;
    int limit = j.getInteger("limit", DEFAULT_LIMIT);
    return new TransactionQuery(blank(j.getString("proxy")), blank(j.getString("node")),
        upper(blank(j.getString("method"))), blank(j.getString("status")),
        lower(blank(j.getString("path"))), j.getLong("from"), j.getLong("to"), blank(j.getString("requestId")),
        Math.max(1, Math.min(MAX_LIMIT, limit)));
  }

  JsonObject toJson() {
    return new JsonObject().put("proxy", proxy).put("node", node).put("method", method).put("status", status)
        .put("path", path).put("from", from).put("to", to).put("requestId", requestId).put("limit", limit);
  }

  /** Matches a traffic event (the stored summary). */
  boolean matches(JsonObject e) {
    if (node != null && !node.equals(e.getString("node"))) {
      return false;
    }
    if (proxy != null && !proxy.equals(e.getString("proxy"))) {
      return false;
    }
    if (method != null && !method.equals(e.getString("method"))) {
      return false;
    }
    if (requestId != null && !requestId.equals(e.getString("requestId"))) {
      return false;
    }
    long ts = e.getLong("ts", 0L);
    if ((from != null && ts < from) || (to != null && ts > to)) {
      return false;
    }
    if (path != null && !lower(e.getString("path", "")).contains(path)) {
      return false;
    }
    return status == null || statusMatches(e.getInteger("status", 0), e.containsKey("failure"));
  }

  private boolean statusMatches(int code, boolean failed) {
    String s = status.toLowerCase(Locale.ROOT);
    if (s.equals("error")) {
      return failed || code >= 500;
    }
    if (s.length() == 3 && s.endsWith("xx")) {
      return code / 100 == s.charAt(0) - '0';
    }
    return s.equals(Integer.toString(code));
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  private static String upper(String s) {
    return s == null ? null : s.toUpperCase(Locale.ROOT);
  }
}
