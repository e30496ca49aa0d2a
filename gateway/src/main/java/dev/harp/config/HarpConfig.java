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
 * @param consumers the applications that call through HARP with API keys (docs/auth.md), shared by every proxy
 * @param audit    the durable, cosigned audit trail; empty when off
 * @param proxies  one entry per proxied API, each on its own port
 * @param source   where the config came from, for messages
 */
public record HarpConfig(NodeConfig node, Optional<ClusterConfig> cluster, AdminConfig admin, EventsConfig events,
                         List<ConsumerConfig> consumers, Optional<AuditConfig> audit, List<ProxyConfig> proxies,
                         String source) {

  /** @param eventLoops event-loop threads, and instances of each proxy's listener */
  public record NodeConfig(String name, Duration drainTimeout, int eventLoops) {
  }

  /**
   * The admin server and who may use it (see docs/auth.md).
   *
   * @param users         HTTP Basic logins with bcrypt hashes; with no users and no tokens the node uses a generated
   *                      login, the same on every member (dev.harp.admin.auth.GeneratedLogin)
   * @param tokens        bearer tokens, stored as SHA-256 hashes (tokens are random, so a fast hash is enough)
   * @param openHealth    serve {@code /health/*} without credentials (keepalived and orchestrator probes)
   * @param openMetrics   serve {@code /metrics} without credentials
   * @param loginCacheTtl how long a successful password check is remembered, so a browser's many requests do not each
   *                      pay for bcrypt
   */
  public record AdminConfig(String bind, int port, List<AdminUser> users, List<AdminToken> tokens, boolean openHealth,
                            boolean openMetrics, Duration loginCacheTtl) {

    public AdminConfig {
      users = List.copyOf(users);
      tokens = List.copyOf(tokens);
    }

    /** Whether credentials were configured; if not, a login is generated at first start. */
    public boolean hasCredentials() {
      return !users.isEmpty() || !tokens.isEmpty();
    }
  }

  /** @param passwordHash bcrypt ({@code $2a$}, {@code $2b$} or {@code $2y$}) */
  public record AdminUser(String name, String passwordHash) {
    @Override
    public String toString() {
      return "AdminUser[name=" + name + ", passwordHash=<redacted>]";
    }
  }

  /** @param sha256 lowercase hex SHA-256 of the token */
  public record AdminToken(String name, String sha256) {
    @Override
    public String toString() {
      return "AdminToken[name=" + name + ", sha256=<redacted>]";
    }
  }

  /**
   * @param maxPerSecond traffic events published per second per node; beyond it events are sampled (counted)
   * @param retain       how many of its published events (with their captured details) a node keeps for search
   * @param retainFor    and for how long at most
   */
  public record EventsConfig(int maxPerSecond, int retain, Duration retainFor) {
  }

  /**
   * An application that calls through HARP, known by its API keys.
   *
   * @param groups for route rules with access {@code admin} (auth.forward.adminGroups)
   */
  public record ConsumerConfig(String name, List<String> groups, List<ConsumerKey> keys) {
  }

  /**
   * @param id     names the key (for revocation, logs, the dashboard) without revealing it
   * @param sha256 lowercase hex SHA-256 of the key
   */
  public record ConsumerKey(String id, String sha256) {
    @Override
    public String toString() {
      return "ConsumerKey[id=" + id + ", sha256=<redacted>]";
    }
  }

  public ProxyConfig proxy(String name) {
    return proxies.stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no proxy named " + name));
  }
}
