package dev.harp.resilience;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/** Waits between attempts: exponential back-off with full jitter, and the upstream's {@code Retry-After}. */
final class Backoff {

  private Backoff() {
  }

  /**
   * Full jitter (a uniformly random wait in [0, min(max, base·2^retry)]): spreads the retries of many clients that
   * failed together instead of sending them back in synchronised waves.
   *
   * @param retry 0 for the first retry
   */
  static long delayMillis(RetrySettings.Backoff backoff, int retry) {
    long base = backoff.base().toMillis();
    long cap = Math.min(backoff.max().toMillis(), base << Math.min(retry, 20));
    return cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1);
  }

  /** {@code Retry-After} as milliseconds from now: delta-seconds or an HTTP-date; -1 when absent or unreadable. */
  static long retryAfterMillis(String header, long nowMillis) {
    if (header == null || header.isBlank()) {
      return -1;
    }
    String value = header.trim();
    if (value.chars().allMatch(Character::isDigit)) {
      try {
        return Duration.ofSeconds(Long.parseLong(value)).toMillis();
      } catch (NumberFormatException | ArithmeticException e) {
        return -1;
      }
    }
    try {
      long at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
      return Math.max(0, at - nowMillis);
    } catch (DateTimeParseException e) {
      return -1;
    }
  }
}
