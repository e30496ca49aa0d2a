package dev.harp.ratelimit;

import java.time.Duration;
import java.util.List;

/**
 * One set of limits applied to one key: the proxy-wide policy, or a route's.
 *
 * @param id             stable storage id ({@code proxy} or {@code route:<name>}): part of every cluster key
 * @param route          the requests it covers; null for the proxy-wide policy
 * @param clusterTimeout how long a cluster decision may take before {@code onClusterFailure} decides
 * @param syncInterval   local mode: how often a node reconciles its counts with the cluster
 */
public record Policy(String id, Mode mode, List<KeyPart> by, List<Limit> limits, OnClusterFailure onClusterFailure,
                     Duration clusterTimeout, Duration syncInterval, RouteMatch route) {

  public Policy {
    by = List.copyOf(by);
    limits = List.copyOf(limits);
  }
}
