package dev.harp.ban;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/**
 * One ban, as stored in the cluster map {@code harp.bans} (JSON text, so any member and any tool can read it) and
 * as shown by the admin API and the {@code harp.bans} events.
 *
 * @param proxy  the proxy it applies to, or {@code *} for every proxy
 * @param source {@code threshold} (too many failures) or {@code admin} (banned by hand)
 */
public record BanRecord(String client, String proxy, long untilMillis, String reason, String source,
                        long createdMillis, String node) {

  public static final String ALL_PROXIES = "*";

  /** The map key: one ban per client per proxy scope. */
  public String key() {
    return key(proxy, client);
  }

  static String key(String proxy, String client) {
    return proxy + "|" + client;
  }

  public boolean activeAt(long nowMillis) {
    return untilMillis > nowMillis;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("client", client)
        .put("proxy", proxy)
        .put("until", Instant.ofEpochMilli(untilMillis).toString())
        .put("untilMillis", untilMillis)
        .put("reason", reason)
        .put("source", source)
        .put("created", Instant.ofEpochMilli(createdMillis).toString())
        .put("node", node);
  }

  public static BanRecord fromJson(JsonObject j) {
    return new BanRecord(j.getString("client"), j.getString("proxy"), j.getLong("untilMillis"),
        j.getString("reason"), j.getString("source"), Instant.parse(j.getString("created")).toEpochMilli(),
        j.getString("node"));
  }
}
