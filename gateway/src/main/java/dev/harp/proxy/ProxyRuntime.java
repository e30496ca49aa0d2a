package dev.harp.proxy;

import dev.harp.config.ProxyConfig;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Everything one proxy's event-loop instances share: its config, its endpoints and balancer, the interceptor chain
 * and the exchange listeners. Features add themselves here when the node starts.
 */
public final class ProxyRuntime {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProxyRuntime.class);

  private final ProxyConfig config;
  private final List<UpstreamEndpoint> endpoints;
  private final LoadBalancer balancer;
  private final List<ProxyInterceptor> interceptors = new CopyOnWriteArrayList<>();
  private final List<ExchangeListener> listeners = new CopyOnWriteArrayList<>();
  private final List<RejectionListener> rejectionListeners = new CopyOnWriteArrayList<>();
  private volatile boolean draining;

  public ProxyRuntime(ProxyConfig config) {
    this.config = config;
    this.endpoints = config.upstream().endpoints().stream().map(UpstreamEndpoint::new).toList();
    this.balancer = LoadBalancer.of(config.upstream().balancing(), endpoints);
  }

  public ProxyConfig config() {
    return config;
  }

  public String name() {
    return config.name();
  }

  public List<UpstreamEndpoint> endpoints() {
    return endpoints;
  }

  public LoadBalancer balancer() {
    return balancer;
  }

  public ProxyRuntime addInterceptor(ProxyInterceptor interceptor) {
    interceptors.add(interceptor);
    return this;
  }

  public ProxyRuntime addListener(ExchangeListener listener) {
    listeners.add(listener);
    return this;
  }

  public ProxyRuntime addRejectionListener(RejectionListener listener) {
    rejectionListeners.add(listener);
    return this;
  }

  /** Reports a request refused before it became an exchange (see {@link RejectionListener}). */
  public void rejected(String reason, int status) {
    for (RejectionListener l : rejectionListeners) {
      l.onRejected(config.name(), reason, status);
    }
  }

  List<ProxyInterceptor> interceptors() {
    return interceptors;
  }

  void completed(CompletedExchange exchange, ProxyExchange live) {
    for (ExchangeListener l : listeners) {
      try {
        l.onComplete(exchange, live);
      } catch (RuntimeException e) {
        // An observer's bug must never break traffic; it is logged once per occurrence with the request id.
        LOG.warn("exchange listener {} failed for request {}", l.getClass().getName(), exchange.requestId(), e);
      }
    }
  }

  /** While draining, responses carry {@code Connection: close} so keep-alive clients move to another node. */
  public void draining(boolean draining) {
    this.draining = draining;
  }

  public boolean draining() {
    return draining;
  }
}
