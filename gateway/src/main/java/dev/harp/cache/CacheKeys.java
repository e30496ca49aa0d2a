package dev.harp.cache;

import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cache keys. The primary key is the normalised request target (RFC 3986 §6.2.2: percent-encoding case, unreserved
 * characters decoded, dot segments removed), plus the Host when the proxy preserves it (then Host selects the
 * upstream's virtual host). The proxy is the map itself and GET the only method stored, so neither is in the
 * string; nothing about which endpoint answered is. Secondary keys come from Vary (RFC 9111 §4.1).
 */
public final class CacheKeys {

  /** Stands for a Vary-named field the request did not carry: absent never matches present-but-empty. */
  public static final String ABSENT = "\u0000";
  /** Separates the target from the host in a key; a request target never contains a space. */
  static final char HOST_SEPARATOR = ' ';

  /** Fields whose values are case-insensitive, so their case is normalised (RFC 9111 §4.1, third bullet). */
  private static final Set<String> CASE_INSENSITIVE = Set.of("accept", "accept-encoding", "accept-language",
      "accept-charset");
  /** Fields whose list order carries no meaning, so their members are sorted. */
  private static final Set<String> UNORDERED = Set.of("accept-encoding");

  private CacheKeys() {
  }

  /** The primary key for a request target ({@code /path?query}, or absolute-form) and, if preserved, its Host. */
  public static String primary(String target, String host) {
    String normalised = normaliseTarget(target);
    if (host == null) {
      return normalised;
    }
    return normalised + HOST_SEPARATOR + normaliseHost(host);
  }

  /** The target part of a primary key (what a prefix purge matches). */
  static String targetOf(String key) {
    int sp = key.indexOf(HOST_SEPARATOR);
    return sp < 0 ? key : key.substring(0, sp);
  }

  static String normaliseTarget(String target) {
    String t = target;
    if (t.startsWith("http://") || t.startsWith("https://")) {
      int slash = t.indexOf('/', t.indexOf("//") + 2);
      t = slash < 0 ? "/" : t.substring(slash);
    }
    int hash = t.indexOf('#');
    if (hash >= 0) {
      t = t.substring(0, hash);
    }
    int q = t.indexOf('?');
    String path = q < 0 ? t : t.substring(0, q);
    String query = q < 0 ? null : t.substring(q + 1);
    path = removeDotSegments(percentNormalise(path));
    if (path.isEmpty()) {
      path = "/";
    }
    return query == null ? path : path + "?" + percentNormalise(query);
  }

  static String normaliseHost(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    return h.endsWith(":80") ? h.substring(0, h.length() - 3) : h;
  }

  /** Upper-case hex digits; decode octets that are unreserved characters (ALPHA / DIGIT / - . _ ~). */
  static String percentNormalise(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
        int v = hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2));
        if (isUnreserved(v)) {
          sb.append((char) v);
        } else {
          sb.append('%').append(Character.toUpperCase(s.charAt(i + 1))).append(Character.toUpperCase(s.charAt(i + 2)));
        }
        i += 2;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
        || c == '_' || c == '~';
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** RFC 3986 §5.2.4. */
  static String removeDotSegments(String path) {
    if (!path.contains(".")) {
      return path;
    }
    List<String> out = new ArrayList<>();
    String[] segments = path.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String seg = segments[i];
      boolean last = i == segments.length - 1;
      if (seg.equals(".")) {
        if (last) {
          out.add("");
        }
      } else if (seg.equals("..")) {
        if (out.size() > 1) {
          out.remove(out.size() - 1);
        }
        if (last) {
          out.add("");
        }
      } else {
        out.add(seg);
      }
    }
    String joined = String.join("/", out);
    return joined.startsWith("/") ? joined : "/" + joined;
  }

  /** The field names a Vary header lists, lower-cased, in order, without duplicates; ["*"] for Vary: *. */
  public static List<String> varyNames(List<String> varyLines) {
    if (varyLines == null || varyLines.isEmpty()) {
      return List.of();
    }
    List<String> names = new ArrayList<>(2);
    for (String line : varyLines) {
      for (String n : line.split(",")) {
        String t = n.trim().toLowerCase(Locale.ROOT);
        if (t.equals("*")) {
          return List.of("*");
        }
        if (!t.isEmpty() && !names.contains(t)) {
          names.add(t);
        }
      }
    }
    return List.copyOf(names);
  }

  /** The request's normalised values for {@code names} (RFC 9111 §4.1). */
  public static List<String> varyValues(List<String> names, MultiMap requestHeaders) {
    if (names.isEmpty()) {
      return List.of();
    }
    List<String> values = new ArrayList<>(names.size());
    for (String name : names) {
      values.add(normaliseField(name, requestHeaders.getAll(name)));
    }
    return List.copyOf(values);
  }

  /** Does a stored variant's Vary match this request? Vary: * never does (RFC 9111 §4.1). */
  public static boolean matches(StoredResponse stored, MultiMap requestHeaders) {
    List<String> names = stored.varyNames();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (name.equals("*") || !normaliseField(name, requestHeaders.getAll(name)).equals(stored.varyValues().get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Combines field lines, drops optional whitespace around list members and parameters, and (for fields defined so)
   * lower-cases and sorts members: transformations RFC 9111 §4.1 allows when matching.
   */
  static String normaliseField(String name, List<String> lines) {
    if (lines == null || lines.isEmpty()) {
      return ABSENT;
    }
    List<String> members = new ArrayList<>();
    for (String line : lines) {
      for (String m : CacheControl.splitList(line)) {
        String norm = m.replaceAll("\\s*([;=])\\s*", "$1").replaceAll("\\s+", " ");
        members.add(CASE_INSENSITIVE.contains(name) ? norm.toLowerCase(Locale.ROOT) : norm);
      }
    }
    if (UNORDERED.contains(name)) {
      String[] sorted = members.toArray(String[]::new);
      Arrays.sort(sorted);
      return String.join(",", sorted);
    }
    return String.join(",", members);
  }
}
