package dev.harp.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A path pattern, matched against a {@link CanonicalPath} (auth's route rules; rate-limit route prefixes as
 * {@code <prefix>/**}): segments separated by {@code /}, where
 * {@code *} is any one segment and {@code **} any number of segments (none included). Case-insensitive, like the
 * canonical form; {@code /admin/**} matches {@code /admin}, {@code /admin/} and everything below.
 */
public final class PathPattern {

  private final String[] segments;

  private PathPattern(String[] segments) {
    this.segments = segments;
  }

  /** @throws IllegalArgumentException with a user-facing reason */
  public static PathPattern compile(String pattern) {
    if (pattern == null || !pattern.startsWith("/")) {
      throw new IllegalArgumentException("a path pattern starts with '/', e.g. /admin/**");
    }
    List<String> out = new ArrayList<>();
    for (String s : pattern.substring(1).split("/", -1)) {
      if (s.isEmpty()) {
        continue;
      }
      if ((s.contains("*") && !s.equals("*") && !s.equals("**")) || s.contains("%") || s.contains(";")
          || s.equals(".") || s.equals("..")) {
        throw new IllegalArgumentException("'" + pattern + "': segments are literal names, '*' or '**' "
            + "(no partial wildcards, percent-encoding, ';' or dot segments)");
      }
      out.add(s.toLowerCase(Locale.ROOT));
    }
    return new PathPattern(out.toArray(String[]::new));
  }

  /** @param canonicalPath from {@link CanonicalPath.Ok#path()} */
  public boolean matches(String canonicalPath) {
    String[] path = canonicalPath.length() <= 1 ? new String[0] : canonicalPath.substring(1).split("/");
    return match(path, 0, 0);
  }

  private boolean match(String[] path, int p, int s) {
    if (s == segments.length) {
      return p == path.length;
    }
    if (segments[s].equals("**")) {
      for (int skip = p; skip <= path.length; skip++) {
        if (match(path, skip, s + 1)) {
          return true;
        }
      }
      return false;
    }
    if (p == path.length) {
      return false;
    }
    return (segments[s].equals("*") || segments[s].equals(path[p])) && match(path, p + 1, s + 1);
  }

  /** By segments: two spellings of one pattern are equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof PathPattern p && java.util.Arrays.equals(p.segments, segments);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(segments);
  }

  @Override
  public String toString() {
    return "/" + String.join("/", segments);
  }
}
