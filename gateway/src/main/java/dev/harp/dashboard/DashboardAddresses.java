package dev.harp.dashboard;

import dev.harp.observe.EventAddresses;

import java.util.List;

/**
 * The event-bus addresses of the dashboard, and the only ones its browser bridge opens. Outbound (server to
 * browser) is the live feeds; inbound (browser to server) is four request/reply addresses, each answered by the node
 * the browser is connected to. A feature that publishes a new kind of event adds its address to
 * {@link #FEATURE_FEEDS}; the page shows any feed it has no special view for in the Traffic view's event log.
 */
public final class DashboardAddresses {

  /** Each node's heartbeat every {@link NodeHeartbeat#PERIOD_MS} ms: state, uptime, version, heap, loop lag. */
  public static final String NODES = "harp.nodes";

  /** Hazelcast membership changes as each node sees them: {@code {event: added|removed, memberUuid, address}}. */
  public static final String MEMBERS = "harp.cluster.members";

  /** keepalived's VRRP state per node, {@code {node, state}} (published by the keepalived issue's admin API). */
  public static final String VIP = "harp.cluster.vip";

  /** Request/reply from the browser: a search fanned out to every node and merged. */
  public static final String SEARCH = "harp.dashboard.search";
  /** Request/reply from the browser: one transaction's detail, from the node that holds it. */
  public static final String DETAIL = "harp.dashboard.detail";
  /** Request/reply from the browser: every node's masked effective config, and where they disagree. */
  public static final String CONFIG = "harp.dashboard.config";
  /** Request/reply from the browser: what the page needs before the feeds (known nodes, last VIP states). */
  public static final String SNAPSHOT = "harp.dashboard.snapshot";

  /** Features' event feeds: breakers, health, ejections, retries (resilience), bans and limits, cache. */
  public static final List<String> FEATURE_FEEDS = List.of("harp.breakers", "harp.health", "harp.ejections",
      "harp.maintenance", "harp.retries", "harp.ratelimit", "harp.bans", "harp.cache");

  public static final List<String> INBOUND = List.of(SEARCH, DETAIL, CONFIG, SNAPSHOT);

  private DashboardAddresses() {
  }

  /** Everything the bridge lets a browser receive. */
  public static List<String> outbound() {
    List<String> all = new java.util.ArrayList<>(List.of(EventAddresses.TRAFFIC, EventAddresses.STATS, NODES, MEMBERS,
        VIP));
    all.addAll(FEATURE_FEEDS);
    return List.copyOf(all);
  }

  /** Node-to-node queries (search, detail, config) of one node; never reachable from a browser. */
  static String nodeQueries(String node) {
    return "harp.node." + node + ".query";
  }
}
