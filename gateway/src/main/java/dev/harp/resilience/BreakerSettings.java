package dev.harp.resilience;

import dev.harp.config.ConfigNode;

import java.time.Duration;
import java.util.Set;

/**
 * The {@code circuitBreaker:} block: one breaker per endpoint (vertx-circuit-breaker). Failures are connect errors,
 * resets, timeouts and 5xx responses; a success clears the count.
 *
 * @param failures     failures within {@code window} that open the circuit
 * @param window       how far back failures count (whole seconds)
 * @param resetTimeout how long the circuit stays open before one trial request is let through (half-open)
 * @param shared       broadcast state changes so a circuit opened on one node opens on every node
 */
public record BreakerSettings(int failures, Duration window, Duration resetTimeout, boolean shared) {

  public static final String KEY = "circuitBreaker";
  public static final int DEFAULT_FAILURES = 5;
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);
  public static final Duration DEFAULT_RESET_TIMEOUT = Duration.ofSeconds(10);

  /** Reads the block at {@link #KEY} under a proxy, for {@link ResilienceFilterFactory}. */
  static final class Reader {

    BreakerSettings read(ConfigNode n) {
      n.allowOnly(Set.of("failures", "window", "resetTimeout", "shared"));
      int failures = (int) n.integer("failures", DEFAULT_FAILURES, 1, 10_000);
      Duration window = n.duration("window", DEFAULT_WINDOW);
      if (window.compareTo(Duration.ofSeconds(1)) < 0) {
        n.problem("window", "must be at least 1s (failures are counted per second), got " + window.toMillis()
            + " ms");
        window = DEFAULT_WINDOW;
      }
      Duration reset = n.duration("resetTimeout", DEFAULT_RESET_TIMEOUT);
      if (reset.isZero()) {
        n.problem("resetTimeout", "must be greater than 0");
        reset = DEFAULT_RESET_TIMEOUT;
      }
      return new BreakerSettings(failures, Duration.ofSeconds(window.toSeconds()), reset, n.bool("shared", true));
    }
  }
}
