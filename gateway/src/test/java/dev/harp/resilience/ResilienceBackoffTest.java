package dev.harp.resilience;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;

/** Full-jitter back-off and Retry-After parsing. */
class ResilienceBackoffTest {

  @Test
  void fullJitterStaysUnderTheGrowingCapAndSpreadsOverIt() {
    RetrySettings.Backoff b = new RetrySettings.Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
    long[] caps = {100, 200, 400, 800, 1000, 1000};
    for (int retry = 0; retry < caps.length; retry++) {
      long sum = 0;
      long max = 0;
      for (int i = 0; i < 2000; i++) {
        long d = Backoff.delayMillis(b, retry);
        assertThat(d).isBetween(0L, caps[retry]);
        sum += d;
        max = Math.max(max, d);
      }
      double mean = sum / 2000.0;
      assertThat(mean).as("mean of retry %d", retry).isBetween(caps[retry] * 0.4, caps[retry] * 0.6);
      assertThat(max).isGreaterThan(caps[retry] * 9 / 10);
    }
  }

  @Test
  void retryAfterIsSecondsOrAnHttpDate() {
    long now = ZonedDateTime.of(2025, 1, 1, 12, 0, 0, 0, ZoneOffset.UTC).toInstant().toEpochMilli();
    assertThat(Backoff.retryAfterMillis("3", now)).isEqualTo(3000);
    assertThat(Backoff.retryAfterMillis(" 0 ", now)).isZero();
    String in5s = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.of(2025, 1, 1, 12, 0, 5, 0,
        ZoneOffset.UTC));
    assertThat(Backoff.retryAfterMillis(in5s, now)).isEqualTo(5000);
    assertThat(Backoff.retryAfterMillis("soon", now)).isEqualTo(-1);
    assertThat(Backoff.retryAfterMillis(null, now)).isEqualTo(-1);
  }

  @Test
  void theBudgetAllowsItsShareOfTheWindowPlusTheReserve() {
    RetryBudget budget = new RetryBudget(new RetrySettings.Budget(10, 1, Duration.ofSeconds(2)));
    for (int i = 0; i < 100; i++) {
      budget.request();
    }
    int allowed = 0;
    while (budget.tryRetry()) {
      allowed++;
    }
    assertThat(allowed).as("10% of 100 plus 1/s over 2 s").isEqualTo(12);
    budget.tick();
    budget.tick();
    assertThat(budget.tryRetry()).as("the window moved past those requests; the reserve remains").isTrue();
    assertThat(budget.exhausted()).isEqualTo(1);
  }
}
