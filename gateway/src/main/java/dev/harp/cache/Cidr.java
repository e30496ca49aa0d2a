package dev.harp.cache;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** A network in CIDR notation ({@code 10.0.0.0/8}, {@code ::1/128}; a bare address is a /32 or /128). */
public record Cidr(byte[] network, int prefixBits, String text) {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** Parses literal addresses only, so reading the config never triggers a DNS lookup. */
  public static Cidr parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    String addr = slash < 0 ? s : s.substring(0, slash);
    boolean v4 = IPV4.matcher(addr).matches();
    if (!v4 && !addr.contains(":")) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR network");
    }
    if (v4) {
      for (String part : addr.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          throw new IllegalArgumentException("'" + text + "' is not a valid IPv4 address");
        }
      }
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(addr).getAddress();
    } catch (UnknownHostException | SecurityException e) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR network");
    }
    int max = bytes.length * 8;
    int bits = max;
    if (slash >= 0) {
      try {
        bits = Integer.parseInt(s.substring(slash + 1));
      } catch (NumberFormatException e) {
        bits = -1;
      }
      if (bits < 0 || bits > max) {
        throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + max);
      }
    }
    return new Cidr(bytes, bits, s);
  }

  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != network.length) {
      return false;
    }
    int full = prefixBits / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixBits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (a[full] & mask) == (network[full] & mask);
  }

  @Override
  public String toString() {
    return text;
  }

  /** By value: two spellings of one network are equal (records compare arrays by identity). */
  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefixBits == prefixBits && java.util.Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(network) + prefixBits;
  }
}
