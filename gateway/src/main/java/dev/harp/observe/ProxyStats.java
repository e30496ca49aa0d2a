package dev.harp.observe;

import io.vertx.core.json.JsonObject;

/**
 * One proxy's traffic on one node over one window (about a second): what {@code harp.stats} carries and what the
 * dashboard reads locally.
 *
 * @param ts               end of the window, epoch milliseconds
 * @param errors           5xx responses plus exchanges HARP ended abnormally
 * @param eventsPublished  traffic events published for this proxy in the window
 * @param eventsSampledOut traffic events left out by the node's budget in the window
 */
public record ProxyStats(String node, String proxy, long ts, long windowMs, long count, long errors, double p50Ms,
                         double p99Ms, double maxMs, long bytesIn, long bytesOut, long eventsPublished,
                         long eventsSampledOut) {

  /** Share of this window's exchanges that became traffic events; 1 when there were none. */
  public double sampleRate() {
    long offered = eventsPublished + eventsSampledOut;
    return offered == 0 ? 1.0 : (double) eventsPublished / offered;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("node", node)
        .put("proxy", proxy)
        .put("ts", ts)
        .put("windowMs", windowMs)
        .put("count", count)
        .put("errors", errors)
        .put("p50Ms", p50Ms)
        .put("p99Ms", p99Ms)
        .put("maxMs", maxMs)
        .put("bytesIn", bytesIn)
        .put("bytesOut", bytesOut)
        .put("events", new JsonObject()
            .put("published", eventsPublished)
            .put("sampledOut", eventsSampledOut)
            .put("sampleRate", Math.round(sampleRate() * 10_000) / 10_000.0));
  }
}
