package dev.harp.resilience;

import dev.harp.config.ProxyConfig;
import dev.harp.engine.UpstreamEndpoint;
import dev.harp.spi.Endpoint;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * One upstream endpoint of a proxy as resilience knows it: the SPI's {@link Endpoint} (the object the engine hands to
 * the attempt phase), its index in the proxy's list (the admin API's id), its configured address (what the health
 * prober calls) and its in-flight count (for the admin API only).
 *
 * @param id       index in the proxy's endpoints: primary, then fallback, then the named pools
 * @param endpoint the SPI endpoint
 * @param config   its configured address and weight
 * @param inFlight its live in-flight count
 */
record EndpointInfo(int id, Endpoint endpoint, ProxyConfig.Endpoint config, IntSupplier inFlight) {

  /**
   * Pairs a proxy's SPI endpoints with its config, which lists them in the same order (primary, fallback, pools).
   *
   * @throws IllegalStateException when they do not pair up (the engine's order changed)
   */
  static List<EndpointInfo> of(List<Endpoint> endpoints, ProxyConfig config) {
    List<ProxyConfig.Endpoint> configured = new ArrayList<>(config.upstream().endpoints());
    configured.addAll(config.upstream().fallback());
    config.upstream().pools().forEach(p -> configured.addAll(p.endpoints()));
    if (configured.size() != endpoints.size()) {
      throw new IllegalStateException("proxy '" + config.name() + "' has " + endpoints.size()
          + " endpoints, its config " + configured.size());
    }
    List<EndpointInfo> out = new ArrayList<>();
    for (int i = 0; i < endpoints.size(); i++) {
      Endpoint e = endpoints.get(i);
      if (!e.label().equals(configured.get(i).url())) {
        throw new IllegalStateException("proxy '" + config.name() + "': endpoint " + i + " is " + e.label()
            + ", its config " + configured.get(i).url());
      }
      // The SPI has no in-flight count (a filter needs none); the admin listing reports the engine's.
      IntSupplier inFlight = e instanceof UpstreamEndpoint u ? u::inFlight : () -> 0;
      out.add(new EndpointInfo(i, e, configured.get(i), inFlight));
    }
    return List.copyOf(out);
  }

  String label() {
    return endpoint.label();
  }

  String pool() {
    return endpoint.pool();
  }

  /** In one of {@code upstream.pools}: only exchanges routed to that pool may go there. */
  boolean inNamedPool() {
    String pool = endpoint.pool();
    return !"primary".equals(pool) && !"fallback".equals(pool);
  }

  int weight() {
    return config.weight();
  }

  String host() {
    return config.host();
  }

  int port() {
    return config.port();
  }

  boolean tls() {
    return config.tls();
  }

  String basePath() {
    return config.basePath();
  }

  /** What the admin API lists for any endpoint. */
  JsonObject toJson() {
    return new JsonObject().put("id", id).put("url", label()).put("pool", pool()).put("weight", weight())
        .put("inFlight", inFlight.getAsInt());
  }
}
