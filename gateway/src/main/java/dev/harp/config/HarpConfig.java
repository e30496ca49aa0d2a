package dev.harp.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The whole, validated configuration of one node.
 *
 * @param node     identity and lifecycle of this node
 * @param cluster  the Hazelcast cluster to join; empty means a standalone single member that joins nobody
 * @param admin    the admin server (health, metrics, dashboard)
 * @param events   live traffic events on the event bus
 * @param proxies  one entry per proxied API, each on its own port
 * @param source   where the config came from, for messages
 */
public record HarpConfig(NodeConfig node, Optional<ClusterConfig> cluster, AdminConfig admin, EventsConfig events,
                         List<ProxyConfig> proxies, String source) {

  /** @param eventLoops event-loop threads, and instances of each proxy's listener */
  public record NodeConfig(String name, Duration drainTimeout, int eventLoops) {
  }

  public record AdminConfig(String bind, int port) {
  }

  /**
   * @param maxPerSecond traffic events published per second per node; beyond it events are sampled (counted)
   * @param retain       how many of its published events (with their captured details) a node keeps for search
   * @param retainFor    and for how long at most
   */
  public record EventsConfig(int maxPerSecond, int retain, Duration retainFor) {
  }

  public ProxyConfig proxy(String name) {
    return proxies.stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no proxy named " + name));
  }
}
