package dev.harp.resilience;

import dev.harp.resilience.RetryDecision.GiveUp;

/**
 * Applies a proxy's {@code retry:} rules to one attempt's outcome. The budget is consulted last, so only retries
 * that would really happen spend it.
 */
final class RetryDecider {

  private final RetrySettings settings;
  private final RetryBudget budget;
  private final boolean[] retriedStatus = new boolean[600];

  RetryDecider(RetrySettings settings, RetryBudget budget) {
    this.settings = settings;
    this.budget = budget;
    for (int status : settings.statuses()) {
      retriedStatus[status] = true;
    }
  }

  /** Hot path: an array read, so a 2xx answer costs no more. */
  boolean retriesStatus(int status) {
    return status >= 0 && status < retriedStatus.length && retriedStatus[status];
  }

  /** Whether a request with this method could be retried after it was sent (its body is then worth keeping). */
  boolean retriesMethod(String method) {
    return settings.maxAttempts() > 1 && settings.methods().contains(method);
  }

  /**
   * @param attempt the attempt that produced the outcome, 0 for the first
   */
  RetryDecision decide(String method, int attempt, AttemptOutcome outcome) {
    long retryAfter = -1;
    String reason;
    boolean anyMethod;
    // (Java 17: no pattern switch yet; the interface is sealed, so these two cases are all there are.)
    if (outcome instanceof AttemptOutcome.Responded r) {
      if (!retriesStatus(r.status())) {
        return GiveUp.NOT_A_RETRY_CONDITION;
      }
      reason = Integer.toString(r.status());
      retryAfter = r.retryAfterMillis();
      anyMethod = false;
    } else {
      AttemptOutcome.Failed f = (AttemptOutcome.Failed) outcome;
      if (f.condition() == null || !settings.conditions().contains(f.condition())) {
        return GiveUp.NOT_A_RETRY_CONDITION;
      }
      reason = f.condition().configName;
      anyMethod = !f.sent() && settings.connectFailureAnyMethod();
    }
    if (attempt + 1 >= settings.maxAttempts()) {
      return GiveUp.ATTEMPTS_SPENT;
    }
    if (!anyMethod && !settings.methods().contains(method)) {
      return GiveUp.METHOD_NOT_RETRIED;
    }
    long delay = Backoff.delayMillis(settings.backoff(), attempt);
    if (retryAfter >= 0) {
      if (retryAfter > settings.retryAfterCap().toMillis()) {
        return GiveUp.RETRY_AFTER_TOO_LONG;
      }
      delay = Math.max(delay, retryAfter);
    }
    if (!budget.tryRetry()) {
      return GiveUp.BUDGET_EXHAUSTED;
    }
    return new RetryDecision.Retry(delay, reason);
  }

  RetryBudget budget() {
    return budget;
  }
}
