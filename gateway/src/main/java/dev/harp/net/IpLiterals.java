package dev.harp.net;

/**
 * The one parser of IP address literals, for every feature (client chains, bans, trusted proxies, purge networks,
 * bind addresses). Written by hand, never {@link java.net.InetAddress#getByName}: client addresses come from headers
 * an attacker writes, and a lookup on the event loop would both block it and let a client choose what HARP resolves.
 *
 * <p>Accepted: dotted-quad IPv4 with decimal parts 0-255 and no leading zeros ({@code 01.2.3.4} reads as octal 1 in
 * some libraries and decimal 1 in others, so it is refused), and RFC 4291 IPv6 text ({@code ::} once, groups of 1-4
 * hex digits, an IPv4 tail). Refused: anything else, hostnames, brackets, zone ids ({@code fe80::1%eth0}: a zone
 * names an interface of the host that wrote it, so in a header or a config it identifies nothing; only our own
 * socket's address may carry one, see {@link #ofSocket}). An IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.1}) is the
 * IPv4 address: dual-stack sockets report IPv4 clients so, and a ban or limit must not see two clients.
 */
public final class IpLiterals {

  /** Longest IPv6 text: eight groups of four and seven colons, or six groups and a dotted quad. */
  private static final int MAX_LENGTH = 45;

  private IpLiterals() {
  }

  /** The address bytes (4, or 16 for IPv6 that is not IPv4-mapped), or null when {@code text} is not a literal. */
  public static byte[] parse(String text) {
    if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
      return null;
    }
    if (text.indexOf(':') < 0) {
      return ipv4(text, 0, text.length());
    }
    byte[] v6 = ipv6(text);
    return v6 == null ? null : unmapIpv4(v6);
  }

  /** The canonical text of a literal (see {@link #format}), or null if {@code text} is not one. */
  public static String normalize(String text) {
    byte[] bytes = parse(text);
    return bytes == null ? null : format(bytes);
  }

  /**
   * The canonical text of our own socket's peer address (already a literal, possibly with a zone id the kernel
   * added, which is stripped: the address alone is the client's identity). Text that is not a literal is returned
   * as it is (a Unix socket path, "unknown"), never looked up.
   */
  public static String ofSocket(String hostAddress) {
    if (hostAddress == null || hostAddress.indexOf(':') < 0) {
      return hostAddress; // the JDK writes IPv4 peers in canonical form: the common case costs nothing
    }
    int zone = hostAddress.indexOf('%');
    String normal = normalize(zone < 0 ? hostAddress : hostAddress.substring(0, zone));
    return normal == null ? hostAddress : normal;
  }

  /**
   * Dotted quad, or lowercase hex groups without leading zeros or {@code ::} compression (the JDK's
   * {@code getHostAddress} form, which socket peers and stored bans already use).
   */
  public static String format(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length == 4 ? 15 : 39);
    if (bytes.length == 4) {
      for (int i = 0; i < 4; i++) {
        sb.append(i == 0 ? "" : ".").append(bytes[i] & 0xff);
      }
      return sb.toString();
    }
    if (bytes.length != 16) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length);
    }
    for (int i = 0; i < 16; i += 2) {
      sb.append(i == 0 ? "" : ":").append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
    }
    return sb.toString();
  }

  private static byte[] ipv4(String s, int from, int to) {
    byte[] out = new byte[4];
    int part = 0;
    int i = from;
    while (part < 4) {
      int start = i;
      int value = 0;
      while (i < to && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        value = value * 10 + (s.charAt(i++) - '0');
      }
      int digits = i - start;
      if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
        return null;
      }
      out[part++] = (byte) value;
      if (part < 4) {
        if (i >= to || s.charAt(i) != '.') {
          return null;
        }
        i++;
      }
    }
    return i == to ? out : null;
  }

  private static byte[] ipv6(String s) {
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    int[] groups = new int[8];
    int count = 0;
    int gapAt = -1;
    int i = 0;
    int n = s.length();
    if (gap == 0) {
      gapAt = 0;
      i = 2;
    }
    while (i < n) {
      int start = i;
      int value = 0;
      while (i < n && i - start < 5 && hex(s.charAt(i)) >= 0) {
        value = value * 16 + hex(s.charAt(i++));
      }
      if (i < n && s.charAt(i) == '.') {
        // An IPv4 tail: the last 32 bits, written as a dotted quad.
        byte[] v4 = count <= 6 ? ipv4(s, start, n) : null;
        if (v4 == null) {
          return null;
        }
        groups[count++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
        groups[count++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
        i = n;
        break;
      }
      if (i == start || i - start > 4 || count == 8) {
        return null;
      }
      groups[count++] = value;
      if (i == n) {
        break;
      }
      if (s.charAt(i) != ':') {
        return null;
      }
      if (i == gap) {
        gapAt = count;
        i += 2;
      } else {
        i++;
        if (i == n) {
          return null; // a trailing single colon
        }
      }
    }
    if (gapAt < 0 ? count != 8 : count > 7) {
      return null;
    }
    byte[] out = new byte[16];
    int zeros = 8 - count;
    for (int g = 0, o = 0; g < count; g++, o++) {
      if (g == gapAt) {
        o += zeros;
      }
      out[2 * o] = (byte) (groups[g] >> 8);
      out[2 * o + 1] = (byte) groups[g];
    }
    return out;
  }

  /** ASCII only: {@link Character#digit} would also take other scripts' digits. */
  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }

  /** {@code ::ffff:1.2.3.4} is the IPv4 client 1.2.3.4; null unless {@code bytes} is such an address. */
  static byte[] mappedIpv4(byte[] bytes) {
    if (bytes.length != 16) {
      return null;
    }
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return null;
      }
    }
    if (bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
      return null;
    }
    return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
  }

  private static byte[] unmapIpv4(byte[] bytes) {
    byte[] v4 = mappedIpv4(bytes);
    return v4 == null ? bytes : v4;
  }
}
