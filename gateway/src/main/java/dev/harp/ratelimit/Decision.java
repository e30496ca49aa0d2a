package dev.harp.ratelimit;

/** The outcome of one rate-limit check. */
public sealed interface Decision {

  /** Who decided: recorded in metrics, so a fallback never passes unnoticed. */
  enum Source {
    /** the key's partition owner, atomically */
    CLUSTER,
    /** this node, in local mode */
    LOCAL,
    /** this node with its 1/N share, because the cluster failed ({@code onClusterFailure: local}) */
    FALLBACK,
    /** admitted unchecked because the cluster failed ({@code onClusterFailure: allow}) */
    FAIL_OPEN,
    /** refused unchecked because the cluster failed ({@code onClusterFailure: deny}) */
    FAIL_CLOSED
  }

  Source source();

  /** @param quota the state after this admission; null when unknown (fail-open) */
  record Admitted(Source source, Quota quota) implements Decision {
  }

  /** @param retryAfterNanos until one more request would pass */
  record Limited(Source source, Quota quota, long retryAfterNanos) implements Decision {
  }

  /** The cluster could not decide and the policy refuses rather than guess. */
  record Unavailable(Source source, String reason) implements Decision {
  }
}
