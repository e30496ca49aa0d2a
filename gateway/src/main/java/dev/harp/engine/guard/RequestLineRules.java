package dev.harp.engine.guard;

/**
 * What Netty's request-line parser tolerates and HARP does not. Netty splits the line on any run of SP, HTAB, VT,
 * FF or CR, so {@code "GET /\r HTTP/1.1"} parses like {@code "GET / HTTP/1.1"}; RFC 9112 §3 allows exactly one SP
 * between the parts, and a bare CR is what request smuggling hides in.
 */
final class RequestLineRules {

  private static final String HTTP_1_1 = "HTTP/1.1";
  private static final String HTTP_1_0 = "HTTP/1.0";

  private RequestLineRules() {
  }

  /** The bytes between two words of the request line, {@code [from, to)}, must be exactly one SP. */
  static void requireSingleSpace(byte[] line, int from, int to) {
    if (to - from != 1 || line[from] != ' ') {
      throw new RequestRejected(Violation.INVALID_REQUEST_LINE, "request-line parts must be separated by one SP");
    }
  }

  /**
   * The request target may not hold controls (NUL, DEL, ...): Netty keeps them in the word and would forward them.
   * Bytes above 0x7F are left alone; unencoded UTF-8 paths are common and cannot change framing.
   */
  static void requireTarget(byte[] line, int start, int length, int maxUriLength) {
    if (length > maxUriLength) {
      throw new RequestRejected(Violation.URI_TOO_LONG, "request target of " + length + " bytes exceeds "
          + maxUriLength);
    }
    if (length == 0) {
      throw new RequestRejected(Violation.INVALID_REQUEST_LINE, "empty request target");
    }
    for (int i = start, end = start + length; i < end; i++) {
      int b = line[i] & 0xFF;
      if (b < 0x21 || b == 0x7F) {
        throw new RequestRejected(Violation.INVALID_REQUEST_LINE,
            "control character 0x" + Integer.toHexString(b) + " in request target");
      }
    }
  }

  /** HTTP/1.0 and HTTP/1.1 only; a well-formed other version gets 505, anything else 400. */
  static void requireVersion(String version) {
    if (HTTP_1_1.equals(version) || HTTP_1_0.equals(version)) {
      return;
    }
    boolean wellFormed = version.length() == 8 && version.startsWith("HTTP/") && Character.isDigit(version.charAt(5))
        && version.charAt(6) == '.' && Character.isDigit(version.charAt(7));
    throw new RequestRejected(wellFormed ? Violation.UNSUPPORTED_HTTP_VERSION : Violation.INVALID_REQUEST_LINE,
        "unsupported protocol version '" + printable(version) + "'");
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 32));
    for (int i = 0; i < s.length() && i < 32; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    return b.toString();
  }
}
