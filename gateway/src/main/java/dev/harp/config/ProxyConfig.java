package dev.harp.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One proxied API: a listening port in front of an upstream pool.
 *
 * @param features blocks owned by feature packages (cache, rateLimit, ...), parsed by their {@link ProxyBlockReader}
 */
public record ProxyConfig(String name, String bind, int port, Upstream upstream, Timeouts timeouts, Limits limits,
                          boolean preserveHost, boolean accessLog, Map<String, Object> features) {

  public enum Balancing {
    ROUND_ROBIN("round-robin"), LEAST_REQUESTS("least-requests");

    public final String configName;

    Balancing(String configName) {
      this.configName = configName;
    }
  }

  /** @param basePath path prefix of the endpoint URL, "" when it has none */
  public record Endpoint(String scheme, String host, int port, String basePath) {
    public boolean tls() {
      return "https".equals(scheme);
    }

    public String url() {
      return scheme + "://" + hostForUrl() + ":" + port + basePath;
    }

    /** The Host header value an upstream expects: the default port is left out. */
    public String authority() {
      boolean defaultPort = (tls() && port == 443) || (!tls() && port == 80);
      return defaultPort ? hostForUrl() : hostForUrl() + ":" + port;
    }

    private String hostForUrl() {
      return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }
  }

  /** @param poolSize max upstream connections per endpoint per event loop */
  public record Upstream(List<Endpoint> endpoints, Balancing balancing, int poolSize) {
  }

  /**
   * @param connect       TCP (and TLS) connect to an upstream endpoint
   * @param response      from request sent to response head received (time to first byte)
   * @param idle          longest silence between bytes of one exchange, either direction
   * @param websocketIdle longest silence on a WebSocket tunnel; zero keeps it open as long as both ends do
   */
  public record Timeouts(Duration connect, Duration response, Duration idle, Duration websocketIdle) {
  }

  /**
   * Limits on what a client may send; each breach has its own status (414, 431, 413, 408).
   *
   * @param maxBodySize zero means no limit (bodies stream, so memory stays flat either way)
   */
  public record Limits(int maxUriLength, int maxHeaderSize, int maxHeaderCount, long maxBodySize,
                       Duration headerReadTimeout) {
  }

  @SuppressWarnings("unchecked")
  public <T> Optional<T> feature(String key) {
    return Optional.ofNullable((T) features.get(key));
  }
}
