package dev.harp.ratelimit;

/** What a {@code cluster} policy does when the cluster cannot decide within {@code clusterTimeout}. */
public enum OnClusterFailure {
  /** Admit: availability over the limit. */
  ALLOW,
  /** Refuse with 503 {@code rate-limit-unavailable}: the limit over availability. */
  DENY,
  /** Decide on this node alone with a 1/N share of the limit (N = members this node sees). */
  LOCAL
}
