package dev.harp.proxy;

import dev.harp.config.ProxyConfig.Endpoint;

import java.util.concurrent.atomic.AtomicInteger;

/** One upstream endpoint with its live in-flight count (shared by every event loop of the node). */
public final class UpstreamEndpoint {

  private final Endpoint config;
  private final int id;
  private final boolean fallback;
  private final String authority;
  private final String label;
  private final AtomicInteger inFlight = new AtomicInteger();

  /**
   * @param id       position in {@link ProxyRuntime#endpoints()}: primary endpoints first, then the fallback pool
   * @param fallback whether it belongs to the fallback pool
   */
  public UpstreamEndpoint(Endpoint config, int id, boolean fallback) {
    this.config = config;
    this.id = id;
    this.fallback = fallback;
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
