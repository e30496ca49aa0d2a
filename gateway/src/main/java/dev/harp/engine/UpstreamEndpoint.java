package dev.harp.engine;

import dev.harp.config.ProxyConfig.Endpoint;

import java.util.concurrent.atomic.AtomicInteger;

/** One upstream endpoint with its live in-flight count (shared by every event loop of the node). */
public final class UpstreamEndpoint implements dev.harp.spi.Endpoint {

  /** The pool label of {@code upstream.endpoints}; no named pool may take it. */
  public static final String PRIMARY = "primary";
  /** The pool label of {@code upstream.fallback}. */
  public static final String FALLBACK = "fallback";

  private final Endpoint config;
  private final int id;
  private final boolean fallback;
  private final String pool;
  private final String authority;
  private final String label;
  private final AtomicInteger inFlight = new AtomicInteger();

  /**
   * @param id       position in {@link ProxyRuntime#endpoints()}: primary endpoints first, then the fallback pool
   * @param fallback whether it belongs to the fallback pool
   */
  public UpstreamEndpoint(Endpoint config, int id, boolean fallback) {
    this(config, id, fallback ? FALLBACK : PRIMARY);
  }

  /**
   * @param id   position in {@link ProxyRuntime#endpoints()}: primary, then fallback, then the named pools
   * @param pool {@link #PRIMARY}, {@link #FALLBACK} or the name of one of {@code upstream.pools}
   */
  public UpstreamEndpoint(Endpoint config, int id, String pool) {
    this.config = config;
    this.id = id;
    this.pool = pool;
    this.fallback = FALLBACK.equals(pool);
    this.authority = config.authority();
    this.label = config.url();
  }

  /** Index in the proxy's endpoint list; features keep per-endpoint state in arrays indexed by it. */
  public int id() {
    return id;
  }

  public boolean isFallback() {
    return fallback;
  }

  /** Whether it belongs to one of {@code upstream.pools}: it then takes only the exchanges routed to that pool. */
  public boolean inNamedPool() {
    return !fallback && !PRIMARY.equals(pool);
  }

  /** The pool it belongs to: {@link #PRIMARY}, {@link #FALLBACK} or a pool's name (admin API, ejection limits). */
  public String pool() {
    return pool;
  }

  public int weight() {
    return config.weight();
  }

  public String host() {
    return config.host();
  }

  public int port() {
    return config.port();
  }

  public boolean tls() {
    return config.tls();
  }

  public String basePath() {
    return config.basePath();
  }

  /** The Host header this endpoint expects. */
  public String authority() {
    return authority;
  }

  /** URL form for logs, events and metrics labels. */
  public String label() {
    return label;
  }

  public int inFlight() {
    return inFlight.get();
  }

  void acquired() {
    inFlight.incrementAndGet();
  }

  void released() {
    inFlight.decrementAndGet();
  }

  @Override
  public String toString() {
    return label;
  }
}
