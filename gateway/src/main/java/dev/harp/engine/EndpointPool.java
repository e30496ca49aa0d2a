package dev.harp.engine;

import java.util.List;

/**
 * One named pool of a proxy's upstream ({@code upstream.pools[]}): its endpoints (also in
 * {@link ProxyRuntime#endpoints()}, so every per-endpoint feature covers them) and its own balancer.
 *
 * @param name      the pool's name, as filters choose it
 * @param endpoints its endpoints, in config order
 * @param balancer  chooses among them, with the pool's strategy
 */
public record EndpointPool(String name, List<UpstreamEndpoint> endpoints, LoadBalancer balancer) {

  /** The problem detail for an exchange routed to a pool the proxy does not declare (rules check their names). */
  public static String undeclared(String proxy, String pool) {
    return "upstream pool '" + pool + "' is not declared on proxy '" + proxy + "'";
  }
}
