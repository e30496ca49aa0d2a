package dev.harp.resilience;

/** Whether an attempt's outcome is retried, and if not, why: each reason is counted and visible in tests. */
sealed interface RetryDecision {

  /** Another attempt after {@code delayMillis}. */
  record Retry(long delayMillis, String reason) implements RetryDecision {
  }

  /** The outcome goes to the client. */
  enum GiveUp implements RetryDecision {
    /** Not a condition or status listed in {@code retryOn}. */
    NOT_A_RETRY_CONDITION,
    /** {@code maxAttempts} reached. */
    ATTEMPTS_SPENT,
    /** The request may have reached the upstream and its method is not in {@code methods}. */
    METHOD_NOT_RETRIED,
    /** The upstream asked for a longer wait than {@code retryAfterCap}. */
    RETRY_AFTER_TOO_LONG,
    /** The proxy's retry budget on this node is spent. */
    BUDGET_EXHAUSTED
  }
}
