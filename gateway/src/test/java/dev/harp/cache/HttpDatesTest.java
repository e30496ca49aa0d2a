package dev.harp.cache;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 9110 §5.6.7: HARP sends IMF-fixdate (two-digit day), and reads all three forms. */
class HttpDatesTest {

  @Test
  void formatsIMFFixdateWithATwoDigitDay() {
    long t = Instant.parse("2026-12-03T08:04:05Z").toEpochMilli();
    assertThat(HttpDates.format(t)).isEqualTo("Thu, 03 Dec 2026 08:04:05 GMT");
    assertThat(HttpDates.parse(HttpDates.format(t))).isEqualTo(t);
  }

  @Test
  void readsTheObsoleteForms() {
    long t = Instant.parse("1994-11-06T08:49:37Z").toEpochMilli();
    assertThat(HttpDates.parse("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(t);
    assertThat(HttpDates.parse("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(t);
    assertThat(HttpDates.parse("Sun Nov  6 08:49:37 1994")).isEqualTo(t);
    assertThat(HttpDates.parse("not a date")).isEqualTo(-1);
  }
}
