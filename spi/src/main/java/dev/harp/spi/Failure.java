package dev.harp.spi;

import java.util.Objects;

/**
 * Why a filter refuses an exchange: its {@link FailureType} and a detail for the problem body, which the client
 * reads (no secrets). The engine turns it into the response, in one place, like its own failures.
 *
 * @param type              the kind of failure (its status and problem type)
 * @param detail            the problem's detail, for the client
 * @param retryAfterSeconds sent as {@code Retry-After} when positive
 */
public record Failure(FailureType type, String detail, long retryAfterSeconds) {

  /**
   * Checks the fields.
   *
   * @param type              the kind of failure
   * @param detail            the detail, for the client
   * @param retryAfterSeconds sent as {@code Retry-After} when positive
   */
  public Failure {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(detail, "detail");
  }

  /**
   * A failure without {@code Retry-After}.
   *
   * @param type   the kind
   * @param detail the detail, for the client
   * @return the failure
   */
  public static Failure of(FailureType type, String detail) {
    return new Failure(type, detail, 0);
  }
}
