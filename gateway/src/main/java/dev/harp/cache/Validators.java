package dev.harp.cache;

import java.util.List;

/**
 * Entity-tag and date comparisons for conditional requests answered from the cache (RFC 9110 §8.8.3.2, §13.1).
 */
final class Validators {

  private Validators() {
  }

  /** If-None-Match (§13.1.2) uses weak comparison: W/"x" matches "x". {@code *} matches any stored response. */
  static boolean noneMatchHits(List<String> ifNoneMatchLines, String etag) {
    for (String line : ifNoneMatchLines) {
      for (String tag : CacheControl.splitList(line)) {
        if (tag.equals("*")) {
          return true;
        }
        if (etag != null && opaque(tag).equals(opaque(etag))) {
          return true;
        }
      }
    }
    return false;
  }

  /** Strong comparison (§8.8.3.2): both tags strong and identical; used by If-Range. */
  static boolean strongMatch(String a, String b) {
    return a != null && b != null && !a.startsWith("W/") && !b.startsWith("W/") && a.trim().equals(b.trim());
  }

  private static String opaque(String tag) {
    String t = tag.trim();
    return t.startsWith("W/") ? t.substring(2) : t;
  }

  /**
   * If-Modified-Since (§13.1.3): true when the stored representation was not modified after the given date. The
   * stored Last-Modified is the reference, else its Date (RFC 9111 §4.3.2).
   */
  static boolean notModifiedSince(String ifModifiedSince, StoredResponse r) {
    long since = HttpDates.parse(ifModifiedSince);
    if (since < 0) {
      return false; // an invalid date is ignored (§13.1.3)
    }
    long modified = r.lastModified() != null ? HttpDates.parse(r.lastModified()) : r.dateValue();
    return modified >= 0 && modified <= since;
  }

  /**
   * If-Range (§13.1.5): the range applies only if the validator matches: an entity-tag strongly, a date exactly
   * equal to a Last-Modified that is strong (at least a second older than the Date, §8.8.2.2).
   */
  static boolean ifRangeHolds(String ifRange, StoredResponse r) {
    String v = ifRange.trim();
    if (v.startsWith("\"") || v.startsWith("W/")) {
      return strongMatch(v, r.etag());
    }
    long date = HttpDates.parse(v);
    long lastModified = HttpDates.parse(r.lastModified());
    return date >= 0 && date == lastModified && r.dateValue() - lastModified >= 1000;
  }
}
