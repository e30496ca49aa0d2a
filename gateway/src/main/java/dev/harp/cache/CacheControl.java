package dev.harp.cache;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parsed Cache-Control directives of a request or a response (RFC 9111 §5.2). Directive names are case-insensitive;
 * values may be tokens or quoted strings. A directive that appears twice with different values is remembered as
 * conflicting: for freshness that makes the response stale (§4.2.1).
 */
public record CacheControl(Map<String, String> directives) {

  /** Value stored for a directive without an argument. */
  private static final String NO_VALUE = "";
  /** Value stored when the same directive came with different arguments. */
  private static final String CONFLICT = "\u0000conflict";
  /** RFC 9111 §1.2.2: delta-seconds beyond what can be represented count as 2^31. */
  static final long MAX_DELTA = 2147483648L;

  public static final CacheControl EMPTY = new CacheControl(Map.of());

  /** Parses every field line given (e.g. all Cache-Control lines of a message). */
  public static CacheControl parse(List<String> fieldLines) {
    if (fieldLines == null || fieldLines.isEmpty()) {
      return EMPTY;
    }
    Map<String, String> out = new HashMap<>();
    for (String line : fieldLines) {
      for (String member : splitList(line)) {
        int eq = member.indexOf('=');
        String name = (eq < 0 ? member : member.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
          continue;
        }
        String value = eq < 0 ? NO_VALUE : unquote(member.substring(eq + 1).trim());
        String previous = out.putIfAbsent(name, value);
        if (previous != null && !previous.equals(value)) {
          out.put(name, CONFLICT);
        }
      }
    }
    return new CacheControl(Map.copyOf(out));
  }

  public boolean has(String directive) {
    return directives.containsKey(directive);
  }

  public boolean isEmpty() {
    return directives.isEmpty();
  }

  /**
   * A delta-seconds argument: -1 when absent; 0 when present but invalid or conflicting (the response is then
   * treated as stale, RFC 9111 §4.2.1 and §5.2); capped at 2^31.
   */
  public long seconds(String directive) {
    String v = directives.get(directive);
    if (v == null) {
      return -1;
    }
    if (v.isEmpty() || CONFLICT.equals(v) || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return 0;
    }
    if (v.length() > 10) {
      return MAX_DELTA;
    }
    return Math.min(Long.parseLong(v), MAX_DELTA);
  }

  /** Like {@link #seconds} but an argument-less directive (e.g. {@code max-stale}) means "any": Long.MAX_VALUE. */
  public long secondsOrAny(String directive) {
    String v = directives.get(directive);
    if (v == null) {
      return -1;
    }
    return v.isEmpty() ? Long.MAX_VALUE : seconds(directive);
  }

  /**
   * Field names of a qualified directive ({@code no-cache="Set-Cookie, X-Foo"}, {@code private="..."}), lower-cased;
   * empty when the directive is absent or unqualified.
   */
  public List<String> fieldNames(String directive) {
    String v = directives.get(directive);
    if (v == null || v.isEmpty() || CONFLICT.equals(v)) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (String n : v.split(",")) {
      String t = n.trim().toLowerCase(Locale.ROOT);
      if (!t.isEmpty()) {
        names.add(t);
      }
    }
    return List.copyOf(names);
  }

  /** True when the directive is present without field names, i.e. it applies to the whole response. */
  public boolean unqualified(String directive) {
    String v = directives.get(directive);
    return v != null && (v.isEmpty() || CONFLICT.equals(v) || fieldNames(directive).isEmpty());
  }

  /** Splits a comma-separated list, ignoring commas inside quoted strings. */
  static List<String> splitList(String line) {
    List<String> out = new ArrayList<>(4);
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted && c == '\\' && i + 1 < line.length()) {
        cur.append(c).append(line.charAt(++i));
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ',' && !quoted) {
        addTrimmed(out, cur);
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    addTrimmed(out, cur);
    return out;
  }

  private static void addTrimmed(List<String> out, StringBuilder sb) {
    String s = sb.toString().trim();
    if (!s.isEmpty()) {
      out.add(s);
    }
  }

  static String unquote(String v) {
    if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
      StringBuilder sb = new StringBuilder(v.length());
      for (int i = 1; i < v.length() - 1; i++) {
        char c = v.charAt(i);
        if (c == '\\' && i + 1 < v.length() - 1) {
          c = v.charAt(++i);
        }
        sb.append(c);
      }
      return sb.toString();
    }
    return v;
  }
}
