package dev.harp.dashboard;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The nodes this node has heard from, built from heartbeats and membership events: which nodes a search fans out
 * to, and what a page that just connected is shown first. Confined to the dashboard verticle's event loop.
 */
final class NodeDirectory {

  /** A node not heard from for this long is left out of fan-outs (browsers turn it red sooner). */
  static final long STALE_MS = 3_000;

  private record Seen(JsonObject heartbeat, long receivedAt) {
  }

  private final Map<String, Seen> nodes = new TreeMap<>();
  private final Map<String, JsonObject> vip = new TreeMap<>();

  void heartbeat(JsonObject hb, long now) {
    nodes.put(hb.getString("node"), new Seen(hb, now));
  }

  /** Hazelcast dropped a member: whichever node it was is gone, whatever its last heartbeat said. */
  void memberRemoved(String memberUuid) {
    nodes.replaceAll((name, seen) -> memberUuid.equals(seen.heartbeat().getString("memberUuid"))
        ? new Seen(seen.heartbeat().copy().put("state", "gone"), seen.receivedAt()) : seen);
  }

  void vip(JsonObject report) {
    if (report.getString("node") != null) {
      vip.put(report.getString("node"), report);
    }
  }

  /** Nodes that are neither gone nor silent, plus {@code self} (whose own heartbeat may not have looped back yet). */
  List<String> live(String self, long now) {
    List<String> out = new ArrayList<>();
    out.add(self);
    nodes.forEach((name, seen) -> {
      if (!name.equals(self) && now - seen.receivedAt() < STALE_MS
          && !"gone".equals(seen.heartbeat().getString("state"))) {
        out.add(name);
      }
    });
    return out;
  }

  JsonObject snapshot(long now) {
    JsonArray list = new JsonArray();
    nodes.forEach((name, seen) -> list.add(seen.heartbeat().copy().put("ageMs", now - seen.receivedAt())));
    JsonObject vips = new JsonObject();
    vip.forEach(vips::put);
    return new JsonObject().put("nodes", list).put("vip", vips);
  }
}
