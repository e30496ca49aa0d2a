package dev.harp.dashboard;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The dashboard's shapes (a search row, the detail view) from the audit log's records, when the node keeps an audit
 * trail: then the Transactions view searches the durable log (every transaction, restarts included) instead of the
 * in-memory sample, and each detail shows its place in the log and whether a final checkpoint covers it.
 */
final class AuditView {

  private AuditView() {
  }

  /** A search row: the summary fields the table shows, {@code id} being the log index. */
  static JsonObject row(JsonObject summary) {
    JsonObject out = summary.copy();
    out.put("id", summary.getValue("index"));
    return out;
  }

  /** A record (as the audit store's detail gives it) as the detail view's summary + {@code detail}. */
  static JsonObject detail(JsonObject r) {
    JsonObject summary = new JsonObject().put("id", r.getValue("index")).put("ts", r.getValue("ts"))
        .put("node", r.getValue("node")).put("proxy", r.getValue("proxy")).put("method", r.getValue("method"))
        .put("path", r.getValue("path")).put("status", r.getValue("status")).put("failure", r.getValue("failure"))
        .put("upstream", r.getValue("upstream")).put("requestId", r.getValue("requestId"))
        .put("bytesOut", r.getValue("bytesOut"))
        .put("durationMs", r.getLong("durationUs", 0L) / 1000.0);
    JsonObject detail = new JsonObject().put("client", r.getValue("client")).put("httpVersion", r.getValue("httpVersion"))
        .put("timing", new JsonObject().put("startedAt", r.getValue("ts"))
            .put("totalMs", r.getLong("durationUs", 0L) / 1000.0))
        .put("request", part(r.getJsonObject("request")))
        .put("response", part(r.getJsonObject("response")))
        .put("capture", new JsonObject().put("heads", true).put("redactedHeaders", new JsonArray()))
        .put("audit", r.getJsonObject("log"));
    return summary.put("detail", detail);
  }

  private static JsonObject part(JsonObject p) {
    if (p == null) {
      return null;
    }
    JsonObject out = new JsonObject().put("headers", p.getJsonArray("headers", new JsonArray()));
    JsonObject body = p.getJsonObject("body");
    if (body != null) {
      out.put("body", new JsonObject().put("size", body.getValue("size")).put("kept", body.getValue("kept"))
          .put("truncated", body.getValue("truncated")).put("preview", body.getValue("preview"))
          .put("sha256", body.getValue("sha256")));
    }
    return out;
  }
}
