package dev.harp.http;

import dev.harp.spi.ConfigBlock;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks of header fields a config wants set or removed (rules, vertx-http-proxy interceptors): names must be
 * tokens (RFC 9110 §5.1), values free of CR, LF and NUL (they would split the message: header injection), and the
 * fields that frame the message stay HARP's to write.
 */
public final class HeaderFields {

  private static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding");
  private static final String TOKEN_SPECIALS = "!#$%&'*+-.^_`|~";

  private HeaderFields() {
  }

  /**
   * Why {@code name} cannot be set or removed by {@code who} (e.g. "rules"), or null when it can.
   */
  public static String nameProblem(String name, String who) {
    if (name == null || name.isEmpty()) {
      return "a header field name must not be empty";
    }
    for (int i = 0; i < name.length(); i++) {
      if (!isTokenChar(name.charAt(i))) {
        return "'" + name + "' is not a header field name (letters, digits and " + TOKEN_SPECIALS + " only)";
      }
    }
    if (FRAMING.contains(name.toLowerCase(Locale.ROOT))) {
      return name + " frames the message; " + who + " cannot change it";
    }
    return null;
  }

  /**
   * Reads a mapping of header field names to values that {@code who} sets, recording each bad name or value as a
   * problem on its key.
   */
  public static Map<String, String> read(ConfigBlock block, String who) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : block.keys()) {
      String value = block.string(name, "");
      String reason = nameProblem(name, who);
      if (reason == null) {
        reason = valueProblem(value);
      }
      if (reason != null) {
        block.problem(name, reason);
      } else {
        out.put(name, value);
      }
    }
    return out;
  }

  /** Why {@code value} cannot be a header field value, or null when it can. */
  public static String valueProblem(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        return "a header field value must not contain CR, LF or NUL";
      }
    }
    return null;
  }

  private static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || TOKEN_SPECIALS.indexOf(c) >= 0;
  }
}
