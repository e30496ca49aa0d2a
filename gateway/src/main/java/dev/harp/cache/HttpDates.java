package dev.harp.cache;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, plus the obsolete RFC 850 and asctime forms recipients must accept. */
public final class HttpDates {

  private static final DateTimeFormatter RFC_850 = DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss zzz",
      Locale.US);
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
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(
        java.time.Instant.ofEpochMilli(epochMillis).atZone(java.time.ZoneOffset.UTC));
  }
}
