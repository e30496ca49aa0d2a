package dev.harp.engine;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: kept from the client when well-formed, otherwise 32 random hex digits. */
public final class RequestIds {

  public static final String HEADER = "X-Request-Id";
  private static final int MAX_LENGTH = 128;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {
  }

  public static String fromOrNew(String incoming) {
    return isAcceptable(incoming) ? incoming : generate();
  }

  /** Only visible ASCII without quotes or separators that would let an id break a log line or a JSON string. */
  static boolean isAcceptable(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  public static String generate() {
    // ThreadLocalRandom, not UUID.randomUUID(): ids need uniqueness, not unpredictability, and SecureRandom is slow.
    ThreadLocalRandom r = ThreadLocalRandom.current();
    char[] out = new char[32];
    long hi = r.nextLong();
    long lo = r.nextLong();
    for (int i = 0; i < 16; i++) {
      out[i] = HEX[(int) (hi >>> (60 - 4 * i)) & 0xf];
      out[16 + i] = HEX[(int) (lo >>> (60 - 4 * i)) & 0xf];
    }
    return new String(out);
  }
}
