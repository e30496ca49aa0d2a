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
    ROUND_ROBIN("round-robin"), LEAST_REQUESTS("least-requests"), CONSISTENT_HASH("consistent-hash");

    public final String configName;

    Balancing(String configName) {
      this.configName = configName;
    }
  }

  /**
   * @param basePath path prefix of the endpoint URL, "" when it has none
   * @param weight   share of the pool's traffic relative to the other endpoints (1-100)
   */
  public record Endpoint(String scheme, String host, int port, String basePath, int weight) {

    public Endpoint(String scheme, String host, int port, String basePath) {
      this(scheme, host, port, basePath, 1);
    }

    public Endpoint withWeight(int weight) {
      return new Endpoint(scheme, host, port, basePath, weight);
    }

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

  /**
   * @param endpoints the primary pool
   * @param poolSize  max upstream connections per endpoint per event loop
   * @param fallback  endpoints used only while no primary endpoint is available (empty: none)
   * @param hashOn    the request key consistent hashing uses; null unless balancing is CONSISTENT_HASH
   * @param pools     named pools an exchange is routed to only when a filter chooses one (empty: none)
   */
  public record Upstream(List<Endpoint> endpoints, Balancing balancing, int poolSize, List<Endpoint> fallback,
                         HashKey hashOn, List<Pool> pools) {

    public Upstream(List<Endpoint> endpoints, Balancing balancing, int poolSize, List<Endpoint> fallback,
                    HashKey hashOn) {
      this(endpoints, balancing, poolSize, fallback, hashOn, List.of());
    }

    public Upstream(List<Endpoint> endpoints, Balancing balancing, int poolSize) {
      this(endpoints, balancing, poolSize, List.of(), null, List.of());
    }

    /** The declared pools' names, in file order. */
    public List<String> poolNames() {
      return pools.stream().map(Pool::name).toList();
    }
  }

  /**
   * A named pool ({@code upstream.pools[]}): endpoints that get only the exchanges a filter routes to it (see
   * {@code dev.harp.spi.Attachments#UPSTREAM_POOL}), never primary traffic, and that have no fallback.
   *
   * @param balancing the upstream's strategy unless the pool names its own
   * @param hashOn    the request key for consistent hashing; null unless balancing is CONSISTENT_HASH
   */
  public record Pool(String name, List<Endpoint> endpoints, Balancing balancing, HashKey hashOn) {
  }

  /**
   * What consistent hashing hashes: {@code header:X-User}, {@code cookie:session}, {@code query:tenant},
   * {@code path} or {@code client-ip}. A request that lacks the key is balanced round-robin.
   *
   * @param name header, cookie or query parameter name; null for path and client-ip
   */
  public record HashKey(Source source, String name) {

    public enum Source { HEADER, COOKIE, QUERY, PATH, CLIENT_IP }

    @Override
    public String toString() {
      return switch (source) {
        case PATH -> "path";
        case CLIENT_IP -> "client-ip";
        default -> source.name().toLowerCase() + ":" + name;
      };
    }
  }

  /**
   * @param connect       TCP (and TLS) connect to an upstream endpoint
   * @param response      from request sent to response head received (time to first byte)
   * @param idle          longest silence between bytes of one exchange, either direction
   * @param websocketIdle longest silence on a WebSocket tunnel; zero keeps it open as long as both ends do
   * @param deadline      whole exchange, every attempt and back-off included, until the response ends; zero = none
   */
  public record Timeouts(Duration connect, Duration response, Duration idle, Duration websocketIdle,
                         Duration deadline) {

    public Timeouts(Duration connect, Duration response, Duration idle, Duration websocketIdle) {
      this(connect, response, idle, websocketIdle, Duration.ZERO);
    }
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
