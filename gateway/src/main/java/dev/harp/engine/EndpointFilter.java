package dev.harp.engine;

/**
 * Which endpoints may take the next attempt: what the attempt-phase filters admit (resilience leaves out endpoints
 * that are down: health, maintenance, ejection, open circuit), less those already tried; without such filters every
 * endpoint may ({@link #ANY}).
 * Called on the hot path for each candidate a balancer looks at, so implementations read, never wait.
 */
@FunctionalInterface
public interface EndpointFilter {

  EndpointFilter ANY = endpoint -> true;

  boolean admits(UpstreamEndpoint endpoint);
}
