package dev.harp.engine;

import dev.harp.config.ProxyConfig;
import dev.harp.config.ProxyConfig.Endpoint;
import dev.harp.net.ClientAddresses;
import dev.harp.spi.Filter;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything one proxy's event-loop instances share: its config, its endpoint pools and their balancers, the upstream
 * policy, the interceptor chain and the exchange listeners. Features add themselves here when the node starts.
 */
public final class ProxyRuntime {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProxyRuntime.class);

  private final ProxyConfig config;
  private final List<UpstreamEndpoint> endpoints;
  private final List<UpstreamEndpoint> primary;
  private final List<UpstreamEndpoint> fallback;
  private final LoadBalancer primaryBalancer;
  private final LoadBalancer fallbackBalancer;
  /** The named pools by name; empty for a proxy without {@code upstream.pools}. */
  private final Map<String, EndpointPool> pools;
  private volatile UpstreamPolicy upstreamPolicy;
  private final List<ProxyInterceptor> interceptors = new CopyOnWriteArrayList<>();
  /** Parallel to {@link #interceptors}: each stage's pipeline name, null for an unnamed one. */
  private final List<String> interceptorNames = new CopyOnWriteArrayList<>();
  private final List<ExchangeListener> listeners = new CopyOnWriteArrayList<>();
  private final List<RejectionListener> rejectionListeners = new CopyOnWriteArrayList<>();
  private volatile boolean draining;
  private volatile boolean matchesPaths;
  private final LongAdder staleConnectionResends = new LongAdder();
  private final ClientAddresses clientAddresses;
  /** Outermost first; see {@link #addAttemptFilter}. */
  private final List<Filter> attemptFilters = new ArrayList<>();
  private int innermostAttemptFilters;

  public ProxyRuntime(ProxyConfig config) {
    this.clientAddresses = ClientAddresses.of(config);
    this.config = config;
    ProxyConfig.Upstream upstream = config.upstream();
    List<UpstreamEndpoint> all = new ArrayList<>();
    for (Endpoint e : upstream.endpoints()) {
      all.add(new UpstreamEndpoint(e, all.size(), false));
    }
    for (Endpoint e : upstream.fallback()) {
      all.add(new UpstreamEndpoint(e, all.size(), true));
    }
    int unnamed = all.size();
    for (ProxyConfig.Pool p : upstream.pools()) {
      for (Endpoint e : p.endpoints()) {
        all.add(new UpstreamEndpoint(e, all.size(), p.name()));
      }
    }
    this.endpoints = List.copyOf(all);
    this.primary = endpoints.subList(0, upstream.endpoints().size());
    this.fallback = endpoints.subList(primary.size(), unnamed);
    this.primaryBalancer = LoadBalancer.of(upstream.balancing(), upstream.hashOn(), primary);
    this.fallbackBalancer = fallback.isEmpty() ? null
        : LoadBalancer.of(upstream.balancing(), upstream.hashOn(), fallback);
    Map<String, EndpointPool> named = new HashMap<>();
    int from = unnamed;
    for (ProxyConfig.Pool p : upstream.pools()) {
      List<UpstreamEndpoint> members = endpoints.subList(from, from + p.endpoints().size());
      from += members.size();
      named.put(p.name(), new EndpointPool(p.name(), members, LoadBalancer.of(p.balancing(), p.hashOn(), members)));
    }
    this.pools = Map.copyOf(named);
    this.upstreamPolicy = UpstreamPolicy.direct(this);
  }

  /** Requests resent because a pooled upstream connection turned out closed (see HttpForwarder); a metric. */
  public long staleConnectionResends() {
    return staleConnectionResends.sum();
  }

  void countStaleConnectionResend() {
    staleConnectionResends.increment();
  }

  public ProxyConfig config() {
    return config;
  }

  public String name() {
    return config.name();
  }

  /**
   * Every endpoint: the primary pool, then the fallback pool, then each named pool in config order;
   * {@link UpstreamEndpoint#id()} is the index here.
   */
  public List<UpstreamEndpoint> endpoints() {
    return endpoints;
  }

  public List<UpstreamEndpoint> primary() {
    return primary;
  }

  public List<UpstreamEndpoint> fallback() {
    return fallback;
  }

  /** The named pool, or null when the proxy declares none of that name. */
  public EndpointPool pool(String name) {
    return pools.get(name);
  }

  /**
   * The endpoint for an attempt of this exchange among those {@code filter} admits: from the pool a filter routed
   * it to ({@link ProxyExchange#upstreamPool()}), and then from that pool only, however many of its endpoints are
   * down; otherwise from the primary pool, or the fallback pool when no primary endpoint is admitted. Null when none
   * is admitted.
   */
  public UpstreamEndpoint pick(ProxyExchange exchange, EndpointFilter filter) {
    return pick(exchange, filter, false);
  }

  /** As {@link #pick(ProxyExchange, EndpointFilter)}, for a retry: the balancer's rotation does not advance. */
  public UpstreamEndpoint pickForRetry(ProxyExchange exchange, EndpointFilter filter) {
    return pick(exchange, filter, true);
  }

  private UpstreamEndpoint pick(ProxyExchange exchange, EndpointFilter filter, boolean retry) {
    String pool = exchange.upstreamPool();
    if (pool == null) {
      return primaryOrFallback(exchange.request(), filter, retry);
    }
    EndpointPool p = pools.get(pool);
    return p == null ? null : pickFrom(p.balancer(), exchange.request(), filter, retry);
  }

  /**
   * The endpoint the balancer chooses among those {@code filter} admits: from the primary pool, or from the
   * fallback pool only when the filter admits no primary endpoint. Null when it admits none at all. Never one of a
   * named pool's. A retry does not advance the balancers' rotation (see LoadBalancer#pickForRetry).
   */
  private UpstreamEndpoint primaryOrFallback(HttpServerRequest request, EndpointFilter filter, boolean retry) {
    UpstreamEndpoint chosen = pickFrom(primaryBalancer, request, filter, retry);
    if (chosen == null && fallbackBalancer != null) {
      chosen = pickFrom(fallbackBalancer, request, filter, retry);
    }
    return chosen;
  }

  private static UpstreamEndpoint pickFrom(LoadBalancer balancer, HttpServerRequest request, EndpointFilter filter,
                                           boolean retry) {
    return retry ? balancer.pickForRetry(request, filter) : balancer.pick(request, filter);
  }

  public UpstreamPolicy upstreamPolicy() {
    return upstreamPolicy;
  }

  /** How this proxy tells who the client is (its {@code clientAddress} block). */
  public ClientAddresses clientAddresses() {
    return clientAddresses;
  }

  /**
   * Adds a filter that acts at the attempt phase (endpoint choice, attempt verdicts); set before the proxy listens.
   * Those added with {@code nextToBalancer} (placed {@code Placement.nextToBalancer()}: HARP's resilience, which
   * claims half-open trials on the endpoint it gets back) sit innermost; the others around them in the order they
   * come.
   */
  public synchronized ProxyRuntime addAttemptFilter(Filter filter, boolean nextToBalancer) {
    if (nextToBalancer) {
      attemptFilters.add(filter);
      innermostAttemptFilters++;
    } else {
      attemptFilters.add(attemptFilters.size() - innermostAttemptFilters, filter);
    }
    this.upstreamPolicy = new AttemptFilters(this, List.copyOf(attemptFilters));
    return this;
  }

  /**
   * Called by a feature with a path-based rule on this proxy (an auth rule, a rate-limit route, {@code by: path}),
   * before the proxy listens. From then on every request's path is read once, before the chain, into its
   * {@link dev.harp.http.CanonicalPath} form, and a path that has no unambiguous form is refused with 400: every rule
   * then sees the path the way the upstream will act on it, or no feature acts at all. A proxy without such rules
   * passes ambiguous paths ({@code %2F} in GitLab's project ids) through untouched: there is no rule to get around.
   */
  public void matchPaths() {
    this.matchesPaths = true;
  }

  public boolean matchesPaths() {
    return matchesPaths;
  }

  public ProxyRuntime addInterceptor(ProxyInterceptor interceptor) {
    return addInterceptor(null, interceptor);
  }

  /**
   * Adds a named stage to the chain; {@link #arrange} later puts the named stages in the pipeline's resolved order
   * (see {@code dev.harp.engine.PipelineOrder}). Unnamed ones keep their place.
   */
  public ProxyRuntime addInterceptor(String name, ProxyInterceptor interceptor) {
    interceptors.add(interceptor);
    interceptorNames.add(name);
    return this;
  }

  /** The names of the named stages, in chain order. */
  public List<String> interceptorNames() {
    return interceptorNames.stream().filter(java.util.Objects::nonNull).toList();
  }

  /**
   * Puts the named stages in {@code order} (which lists exactly {@link #interceptorNames()}), in the slots named
   * stages occupy now. Before the proxy listens.
   */
  public void arrange(List<String> order) {
    java.util.Map<String, ProxyInterceptor> byName = new java.util.HashMap<>();
    List<Integer> slots = new java.util.ArrayList<>();
    for (int i = 0; i < interceptors.size(); i++) {
      if (interceptorNames.get(i) != null) {
        byName.put(interceptorNames.get(i), interceptors.get(i));
        slots.add(i);
      }
    }
    if (!new java.util.HashSet<>(order).equals(byName.keySet()) || order.size() != slots.size()) {
      throw new IllegalArgumentException("order " + order + " does not list the stages " + byName.keySet());
    }
    for (int k = 0; k < slots.size(); k++) {
      interceptors.set(slots.get(k), byName.get(order.get(k)));
      interceptorNames.set(slots.get(k), order.get(k));
    }
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
