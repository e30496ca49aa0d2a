package dev.harp.engine;

import dev.harp.config.ProxyConfig.Balancing;
import dev.harp.config.ProxyConfig.HashKey;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Chooses the endpoint of one pool for the next attempt. Implementations are shared by all event loops, so
 * lock-free; each looks at candidates in its own order and returns the first one the filter admits.
 */
@FunctionalInterface
public interface LoadBalancer {

  /** The endpoint for this request among those {@code filter} admits, or null when it admits none. */
  UpstreamEndpoint pick(HttpServerRequest request, EndpointFilter filter);

  /**
   * As {@link #pick}, for a retry of a request that already had its turn: rotating strategies do not advance, or
   * with two endpoints every request would be sent to the same (failing) one first and retried on the other.
   */
  default UpstreamEndpoint pickForRetry(HttpServerRequest request, EndpointFilter filter) {
    return pick(request, filter);
  }

  static LoadBalancer of(Balancing strategy, HashKey hashOn, List<UpstreamEndpoint> endpoints) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no endpoints");
    }
    if (endpoints.size() == 1) {
      UpstreamEndpoint only = endpoints.get(0);
      return (request, filter) -> filter.admits(only) ? only : null;
    }
    return switch (strategy) {
      case ROUND_ROBIN -> roundRobin(endpoints);
      case LEAST_REQUESTS -> leastRequests(endpoints);
      case CONSISTENT_HASH -> new ConsistentHashBalancer(endpoints, hashOn, roundRobin(endpoints));
    };
  }

  /**
   * Weighted round-robin in nginx's "smooth" order (weights 5,1,1 give a a b a c a a, not a a a a a b c), computed
   * once so a pick is one atomic increment. Equal weights give plain round-robin.
   */
  static LoadBalancer roundRobin(List<UpstreamEndpoint> endpoints) {
    UpstreamEndpoint[] order = smoothWeightedOrder(endpoints);
    return rotating((start, filter) -> {
      for (int i = 0; i < order.length; i++) {
        UpstreamEndpoint candidate = order[Math.floorMod(start + i, order.length)];
        if (filter.admits(candidate)) {
          return candidate;
        }
      }
      return null;
    });
  }

  /**
   * The endpoint with the fewest requests in flight on this node relative to its weight. The scan starts at a
   * rotating index so ties (the common case at low load) spread like round-robin instead of piling onto the first.
   */
  static LoadBalancer leastRequests(List<UpstreamEndpoint> endpoints) {
    UpstreamEndpoint[] all = endpoints.toArray(UpstreamEndpoint[]::new);
    return rotating((rotated, filter) -> {
      int start = Math.floorMod(rotated, all.length);
      UpstreamEndpoint best = null;
      long bestLoad = 0;
      for (int i = 0; i < all.length; i++) {
        UpstreamEndpoint candidate = all[(start + i) % all.length];
        if (!filter.admits(candidate)) {
          continue;
        }
        long load = candidate.inFlight();
        // load/weight compared without division: a/wa < b/wb  <=>  a*wb < b*wa
        if (best == null || load * best.weight() < bestLoad * candidate.weight()) {
          best = candidate;
          bestLoad = load;
          if (load == 0) {
            break;
          }
        }
      }
      return best;
    });
  }

  /** A scan of the candidates from a rotating start, first admitted wins (or the best, for least-requests). */
  @FunctionalInterface
  interface Scan {
    UpstreamEndpoint from(int start, EndpointFilter filter);
  }

  /** A balancer over {@code scan} whose start rotates with each pick, and stays put for a retry. */
  private static LoadBalancer rotating(Scan scan) {
    AtomicInteger next = new AtomicInteger();
    return new LoadBalancer() {
      @Override
      public UpstreamEndpoint pick(HttpServerRequest request, EndpointFilter filter) {
        return scan.from(next.getAndIncrement(), filter);
      }

      @Override
      public UpstreamEndpoint pickForRetry(HttpServerRequest request, EndpointFilter filter) {
        return scan.from(next.get(), filter);
      }
    };
  }

  private static UpstreamEndpoint[] smoothWeightedOrder(List<UpstreamEndpoint> endpoints) {
    int gcd = 0;
    for (UpstreamEndpoint e : endpoints) {
      gcd = gcd(gcd, e.weight());
    }
    int n = endpoints.size();
    int[] weight = new int[n];
    int total = 0;
    for (int i = 0; i < n; i++) {
      weight[i] = endpoints.get(i).weight() / gcd;
      total += weight[i];
    }
    int[] current = new int[n];
    List<UpstreamEndpoint> order = new ArrayList<>(total);
    for (int step = 0; step < total; step++) {
      int best = 0;
      for (int i = 0; i < n; i++) {
        current[i] += weight[i];
        if (current[i] > current[best]) {
          best = i;
        }
      }
      current[best] -= total;
      order.add(endpoints.get(best));
    }
    return order.toArray(UpstreamEndpoint[]::new);
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
