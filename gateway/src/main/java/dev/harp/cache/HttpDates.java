package dev.harp.cache;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, plus the obsolete RFC 850 and asctime forms recipients must accept. */
public final class HttpDates {

  /**
   * RFC 850 dates have a two-digit year; RFC 9110 §5.6.7 reads one that would be more than 50 years ahead as the
   * past. The JDK's {@code yy} puts it in 2000-2099, and then the weekday ("Sunday, 06-Nov-94") contradicts the
   * date and nothing parses.
   */
  private static final DateTimeFormatter RFC_850 = new java.time.format.DateTimeFormatterBuilder()
      .appendPattern("EEEE, dd-MMM-")
      .appendValueReduced(java.time.temporal.ChronoField.YEAR, 2, 2, java.time.LocalDate.now().minusYears(49))
      .appendPattern(" HH:mm:ss zzz")
      .toFormatter(Locale.US);
  /**
   * IMF-fixdate exactly: {@code Sun, 06 Nov 1994 08:49:37 GMT}. Not the JDK's RFC_1123_DATE_TIME, which writes a
   * one-digit day ("Thu, 3 Dec 2026") that RFC 9110 §5.6.7 does not allow a sender to produce.
   */
  private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
      Locale.US).withZone(java.time.ZoneOffset.UTC);
  private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy",
      Locale.US).withZone(java.time.ZoneOffset.UTC);

  private HttpDates() {
  }

  /** Epoch ms, or -1 when absent or not a valid HTTP-date. */
  public static long parse(String value) {
    if (value == null) {
      return -1;
    }
    String v = value.trim();
    for (DateTimeFormatter f : new DateTimeFormatter[] {DateTimeFormatter.RFC_1123_DATE_TIME, RFC_850, ASCTIME}) {
      try {
        return ZonedDateTime.parse(v, f).toInstant().toEpochMilli();
      } catch (DateTimeParseException e) {
        // try the next form
      }
    }
    return -1;
  }

  public static String format(long epochMillis) {
    return IMF_FIXDATE.format(java.time.Instant.ofEpochMilli(epochMillis));
  }
}
