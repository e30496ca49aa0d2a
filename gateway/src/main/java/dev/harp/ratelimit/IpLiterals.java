package dev.harp.ratelimit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Parses literal IP addresses without ever asking DNS: client addresses come from headers an attacker writes, and a
 * lookup on the event loop would both block it and let a client choose what HARP resolves.
 */
public final class IpLiterals {

  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

  private IpLiterals() {
  }

  /** The address bytes (4 or 16), or null when {@code text} is not a literal IPv4/IPv6 address. */
  public static byte[] parse(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    var m = IPV4.matcher(text);
    if (m.matches()) {
      byte[] out = new byte[4];
      for (int i = 0; i < 4; i++) {
        int part = Integer.parseInt(m.group(i + 1));
        if (part > 255) {
          return null;
        }
        out[i] = (byte) part;
      }
      return out;
    }
    if (text.indexOf(':') < 0 || !IPV6_CHARS.matcher(text).matches()) {
      return null;
    }
    try {
      // Only hex digits, ':' and '.' reach here, which the JDK parses as an IPv6 literal: no lookup happens.
      byte[] bytes = InetAddress.getByName(text).getAddress();
      return unmapIpv4(bytes);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** The canonical text of a literal (e.g. {@code ::1} for {@code 0:0:0:0:0:0:0:1}), or null if not a literal. */
  public static String normalize(String text) {
    byte[] bytes = parse(text);
    return bytes == null ? null : format(bytes);
  }

  public static String format(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** {@code ::ffff:1.2.3.4} is the IPv4 client 1.2.3.4 (dual-stack sockets report it so). */
  private static byte[] unmapIpv4(byte[] bytes) {
    if (bytes.length != 16) {
      return bytes;
    }
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return bytes;
      }
    }
    if (bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
      return bytes;
    }
    return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
  }
}
