package dev.harp.proxy;

import dev.harp.config.ProxyConfig.Balancing;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Chooses the endpoint for the next request. Implementations are shared by all event loops, so lock-free. */
@FunctionalInterface
public interface LoadBalancer {

  UpstreamEndpoint pick();

  static LoadBalancer of(Balancing strategy, List<UpstreamEndpoint> endpoints) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no endpoints");
    }
    if (endpoints.size() == 1) {
      UpstreamEndpoint only = endpoints.get(0);
      return () -> only;
    }
    return switch (strategy) {
      case ROUND_ROBIN -> roundRobin(endpoints);
      case LEAST_REQUESTS -> leastRequests(endpoints);
    };
  }

  static LoadBalancer roundRobin(List<UpstreamEndpoint> endpoints) {
    UpstreamEndpoint[] all = endpoints.toArray(UpstreamEndpoint[]::new);
    AtomicInteger next = new AtomicInteger();
    return () -> all[Math.floorMod(next.getAndIncrement(), all.length)];
  }

  /**
   * The endpoint with the fewest requests in flight on this node. The scan starts at a rotating index so ties
   * (the common case at low load) spread like round-robin instead of piling onto the first endpoint.
   */
  static LoadBalancer leastRequests(List<UpstreamEndpoint> endpoints) {
    UpstreamEndpoint[] all = endpoints.toArray(UpstreamEndpoint[]::new);
    AtomicInteger rotation = new AtomicInteger();
    return () -> {
      int start = Math.floorMod(rotation.getAndIncrement(), all.length);
      UpstreamEndpoint best = all[start];
      int bestLoad = best.inFlight();
      for (int i = 1; i < all.length && bestLoad > 0; i++) {
        UpstreamEndpoint candidate = all[(start + i) % all.length];
        int load = candidate.inFlight();
        if (load < bestLoad) {
          best = candidate;
          bestLoad = load;
        }
      }
      return best;
    };
  }
}
