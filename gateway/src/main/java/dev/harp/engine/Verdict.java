package dev.harp.engine;

/** What the forwarder does with one upstream attempt's outcome: hand it to the client, or try again. */
public sealed interface Verdict permits Verdict.Deliver, Verdict.Retry {

  Verdict DELIVER = Deliver.INSTANCE;

  /** Relay the response (or answer the failure); a constant, so the common path allocates nothing. */
  enum Deliver implements Verdict { INSTANCE }

  /**
   * Drop this attempt's outcome and start another attempt after {@code delayMs} (0: at once).
   *
   * @param reason what is retried (e.g. {@code 503}, {@code connect-failure}), for the problem detail if all fail
   */
  record Retry(long delayMs, String reason) implements Verdict {
  }
}
