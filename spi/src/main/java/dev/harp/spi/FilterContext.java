package dev.harp.spi;

import io.vertx.core.Vertx;

import java.util.List;

/** What a {@link FilterFactory} gets from the node when it creates a filter for one proxy. */
public interface FilterContext {

  /** @return the node's Vert.x instance (timers, clients, {@code executeBlocking}) */
  Vertx vertx();

  /** @return the node's name */
  String nodeName();

  /** @return the name of the proxy the filter is for */
  String proxyName();

  /**
   * The proxy's upstream endpoints: {@code upstream.endpoints}, then {@code fallback}, then each of
   * {@code upstream.pools}, in config order. They are the very objects {@link EndpointChoice#pick} and
   * {@link AttemptResult#endpoint} give, so a filter that keeps state per endpoint (health, a circuit) can key it by
   * them.
   *
   * @return the endpoints (empty when this context cannot tell: a test double)
   */
  default List<Endpoint> endpoints() {
    return List.of();
  }

  /**
   * A counter in the node's {@code /metrics}, as {@code harp_filter_<name>_total} with the proxy's name and the
   * given label values; a filter counts what it did there (matches, refusals) instead of keeping its own.
   *
   * @param name   lowercase words joined by '_', e.g. {@code hmac_signed}
   * @param labels label names and values, alternating
   * @return increments the counter by one each time it runs
   */
  Runnable counter(String name, String... labels);

  /**
   * A service of the node, for filters that share state across the cluster or serve an admin API; null when the
   * node offers none of that type. A HARP node offers:
   * <ul>
   *   <li>{@code com.hazelcast.core.HazelcastInstance}: the node's cluster member (call its async APIs from an event
   *       loop, or use {@code executeBlocking});</li>
   *   <li>{@code io.micrometer.core.instrument.MeterRegistry}: the registry behind {@code /metrics};</li>
   *   <li>{@code io.vertx.ext.web.Router}: the admin port's router; mount routes under {@code /api/<filter>/}
   *       (the admin port's login already guards them).</li>
   * </ul>
   * A plugin that uses one compiles against that library (provided scope: the node has it).
   *
   * @param type the service's type
   * @param <T>  the service's type
   * @return the service, or null
   */
  default <T> T service(Class<T> type) {
    return null;
  }

  /**
   * For a filter with path rules (an access rule, a route): asks the node to read every request's path on this
   * proxy into its canonical form before the first filter, and to refuse a path that has none (400
   * {@code bad-request}, counted and logged as a hostile request with reason {@code ambiguous-path}). Then
   * {@link Exchange#canonicalPath()} is never null here, and no way of writing a path gets around a rule. A proxy
   * whose filters do not ask passes such paths (e.g. {@code %2F} in a project id) through untouched. Call it from
   * {@link FilterFactory#create}.
   *
   * @throws UnsupportedOperationException when this context cannot (a test double); a HARP node always can
   */
  default void requireCanonicalPaths() {
    throw new UnsupportedOperationException("this context cannot require canonical paths");
  }
}
