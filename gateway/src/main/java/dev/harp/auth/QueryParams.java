package dev.harp.auth;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Small edits of a request target's query, for API keys taken out and credentials put in. */
final class QueryParams {

  private QueryParams() {
  }

  /** The first value of {@code name} in the target's query, decoded; null if absent. */
  static String first(String uri, String name) {
    int q = uri.indexOf('?');
    if (q < 0) {
      return null;
    }
    for (String pair : uri.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      if (name.equals(key)) {
        return eq < 0 ? "" : decode(pair.substring(eq + 1));
      }
    }
    return null;
  }

  /** The target without any parameter named {@code name}; the rest of the query is kept byte for byte. */
  static String remove(String uri, String name) {
    int q = uri.indexOf('?');
    if (q < 0) {
      return uri;
    }
    StringBuilder kept = new StringBuilder();
    for (String pair : uri.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (pair.isEmpty() || name.equals(decode(eq < 0 ? pair : pair.substring(0, eq)))) {
        continue;
      }
      kept.append(kept.isEmpty() ? "" : "&").append(pair);
    }
    return kept.isEmpty() ? uri.substring(0, q) : uri.substring(0, q + 1) + kept;
  }

  /** The target with {@code name=value} appended (percent-encoded), after removing the client's {@code name}. */
  static String replace(String uri, String name, String value) {
    String base = remove(uri, name);
    return base + (base.indexOf('?') < 0 ? "?" : "&") + encode(name) + "=" + encode(value);
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s; // malformed escapes: compare as written
    }
  }
}
