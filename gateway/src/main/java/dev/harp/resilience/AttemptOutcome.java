package dev.harp.resilience;

/** What one upstream attempt came back with, as far as retrying it is concerned. */
sealed interface AttemptOutcome {

  /** A response head whose status is one the proxy retries. */
  record Responded(int status, long retryAfterMillis) implements AttemptOutcome {
  }

  /**
   * A failure before any response head.
   *
   * @param condition what kind, or null for a failure that is never retried
   * @param sent      whether request bytes may have reached the upstream
   */
  record Failed(RetrySettings.Condition condition, boolean sent) implements AttemptOutcome {
  }
}
