package dev.harp.spi;

import java.util.Objects;

/**
 * What the engine does with an attempt's outcome: accept it (relay the response, or answer the failure), or drop it
 * and try again, on an endpoint not tried yet where one is available.
 */
public sealed interface AttemptVerdict permits AttemptVerdict.Accept, AttemptVerdict.Retry {

  /** Relay the response or answer the failure; a constant, so the common path allocates nothing. */
  AttemptVerdict ACCEPT = Accept.INSTANCE;

  /**
   * A new attempt after {@code delayMs}.
   *
   * @param delayMs wait before the next attempt, 0 for at once
   * @param reason  what is retried (e.g. {@code 503}, {@code connect-failure}), for the problem detail if all fail
   * @return the verdict
   */
  static AttemptVerdict retry(long delayMs, String reason) {
    return new Retry(delayMs, reason);
  }

  /** The outcome stands. */
  enum Accept implements AttemptVerdict {
    /** The only instance. */
    INSTANCE
  }

  /**
   * Try again.
   *
   * @param delayMs wait before the next attempt, 0 for at once
   * @param reason  what is retried, for the problem detail if all attempts fail
   */
  record Retry(long delayMs, String reason) implements AttemptVerdict {

    /**
     * Checks the fields.
     *
     * @param delayMs wait before the next attempt, not negative
     * @param reason  what is retried
     */
    public Retry {
      Objects.requireNonNull(reason, "reason");
      if (delayMs < 0) {
        throw new IllegalArgumentException("delayMs must not be negative");
      }
    }
  }
}
