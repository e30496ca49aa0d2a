package dev.harp.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The form of a request path that route rules are matched against. Upstreams differ in how they read a path (Tomcat
 * drops {@code ;params}, Windows servers drop trailing dots, many decode {@code %2e} or ignore case), so HARP reads it
 * the way the most lenient upstream would and matches rules against that; what it cannot read unambiguously it
 * refuses. Refused (400): dot segments ({@code .}, {@code ..}, also encoded or with params, like Tomcat's
 * {@code ..;}), encoded slashes or backslashes, raw backslashes, control characters, malformed or double
 * percent-encoding of those, segments of only dots and spaces. Normalised: percent-decoding, {@code ;params}
 * dropped, trailing dots and spaces of a segment dropped, empty segments ({@code //}) collapsed, lowercase.
 */
public sealed interface CanonicalPath {

  record Ok(String path) implements CanonicalPath {
  }

  record Refused(String reason) implements CanonicalPath {
  }

  static CanonicalPath of(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return new Ok("/");
    }
    if (rawPath.charAt(0) != '/') {
      return new Refused("path must start with '/'");
    }
    List<String> segments = new ArrayList<>();
    int start = 1;
    while (start <= rawPath.length()) {
      int slash = rawPath.indexOf('/', start);
      int end = slash < 0 ? rawPath.length() : slash;
      String decoded = decode(rawPath, start, end);
      if (decoded == null) {
        return new Refused("malformed percent-encoding");
      }
      String refusal = refusal(decoded);
      if (refusal != null) {
        return new Refused(refusal);
      }
      int semicolon = decoded.indexOf(';');
      String segment = semicolon < 0 ? decoded : decoded.substring(0, semicolon);
      String trimmed = stripTrailingDotsAndSpaces(segment);
      if (trimmed.isEmpty() && !segment.isEmpty()) {
        // ".", "..", and what some servers read as them ("...", ".. "): never a real name.
        return new Refused("dot segment in path");
      }
      segment = trimmed;
      if (!segment.isEmpty()) {
        segments.add(segment.toLowerCase(Locale.ROOT));
      }
      start = end + 1;
    }
    return new Ok("/" + String.join("/", segments));
  }

  private static String refusal(String decoded) {
    for (int i = 0; i < decoded.length(); i++) {
      char c = decoded.charAt(i);
      if (c == '/' || c == '\\') {
        return "encoded slash or backslash in path";
      }
      if (c < 0x20 || c == 0x7f) {
        return "control character in path";
      }
      if (c == '%' && i + 2 < decoded.length()) {
        String next = decoded.substring(i + 1, i + 3).toLowerCase(Locale.ROOT);
        if (next.equals("2e") || next.equals("2f") || next.equals("5c") || next.equals("25")) {
          return "double percent-encoding in path";
        }
      }
    }
    return null;
  }

  /** Decodes {@code %XX} escapes as UTF-8; null if an escape is malformed. */
  private static String decode(String s, int from, int to) {
    if (s.indexOf('%', from) < 0 || s.indexOf('%', from) >= to) {
      return s.substring(from, to);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= to) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(b, 0, b.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String stripTrailingDotsAndSpaces(String segment) {
    int end = segment.length();
    while (end > 0 && (segment.charAt(end - 1) == '.' || segment.charAt(end - 1) == ' ')) {
      end--;
    }
    return segment.substring(0, end);
  }
}
