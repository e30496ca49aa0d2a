package dev.harp.spi;

import java.util.List;
import java.util.function.Predicate;

/**
 * The choice of the endpoint for one attempt of an exchange. Filters that implement
 * {@link Filter#chooseEndpoint} stand around the proxy's balancer, outermost first: each may narrow which endpoints
 * are admitted, claim something for the one it gets back, or refuse them all; it asks the next one (in the end the
 * balancer) with {@link #pick}.
 */
public interface EndpointChoice {

  /** @return the attempt's number: 0 for the first, then retries and resends of a dead pooled connection */
  int attempt();

  /** @return the endpoints of the exchange's earlier attempts, oldest first (empty for the first) */
  List<Endpoint> tried();

  /**
   * The next chooser's pick (in the end the balancer's, within the pool the exchange goes to) among the endpoints
   * {@code admits} accepts. Where one that was not {@link #tried} is admitted, it is one of those. A retry does not
   * advance the balancer's rotation.
   *
   * @param admits which endpoints this chooser accepts
   * @return the endpoint, or null when none is admitted
   */
  Endpoint pick(Predicate<Endpoint> admits);
}
