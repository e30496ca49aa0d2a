package dev.harp.cache;

/**
 * A single byte range served from a complete stored body (RFC 9110 §14). Anything else the cache does not slice:
 * several ranges, other units, or bad syntax are answered with the whole representation (a server MAY ignore Range,
 * §14.2), so a client never gets a wrong range.
 */
sealed interface ByteRange {

  /** Serve the whole body with 200. */
  record Whole() implements ByteRange {
  }

  /** Serve {@code first..last} (inclusive) with 206. */
  record Slice(long first, long last) implements ByteRange {
    long length() {
      return last - first + 1;
    }
  }

  /** 416 with {@code Content-Range: bytes *}{@code /length} (§15.5.17). */
  record Unsatisfiable() implements ByteRange {
  }

  ByteRange WHOLE = new Whole();

  static ByteRange parse(String range, long length) {
    if (range == null) {
      return WHOLE;
    }
    String r = range.trim();
    if (!r.regionMatches(true, 0, "bytes=", 0, 6)) {
      return WHOLE;
    }
    String spec = r.substring(6).trim();
    if (spec.contains(",")) {
      return WHOLE;
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return WHOLE;
    }
    String a = spec.substring(0, dash).trim();
    String b = spec.substring(dash + 1).trim();
    try {
      if (a.isEmpty()) {
        long suffix = Long.parseLong(b);
        if (suffix <= 0 || length == 0) {
          return new Unsatisfiable();
        }
        return new Slice(Math.max(0, length - suffix), length - 1);
      }
      long first = Long.parseLong(a);
      long last = b.isEmpty() ? length - 1 : Long.parseLong(b);
      if (first < 0 || last < first) {
        return WHOLE; // syntactically invalid: ignored
      }
      if (first >= length) {
        return new Unsatisfiable();
      }
      return new Slice(first, Math.min(last, length - 1));
    } catch (NumberFormatException e) {
      return WHOLE;
    }
  }
}
