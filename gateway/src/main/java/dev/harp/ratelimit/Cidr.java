package dev.harp.ratelimit;

import java.util.Arrays;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a block of one.
 *
 * @param network the block's address bytes, host bits cleared
 */
public record Cidr(byte[] network, int prefix) {

  /** @throws IllegalArgumentException with a user-facing reason */
  public static Cidr parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    byte[] address = IpLiterals.parse(slash < 0 ? s : s.substring(0, slash));
    if (address == null) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block (e.g. 10.0.0.0/8)");
    }
    int bits = address.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String p = s.substring(slash + 1);
      if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > bits) {
        throw new IllegalArgumentException("'" + text + "' has an invalid prefix length (0-" + bits + ")");
      }
      prefix = Integer.parseInt(p);
    }
    return new Cidr(mask(address, prefix), prefix);
  }

  public boolean contains(byte[] address) {
    return address != null && address.length == network.length && Arrays.equals(mask(address, prefix), network);
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] &= (byte) (0xff << (8 - keep));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(network) * 31 + prefix;
  }

  @Override
  public String toString() {
    return IpLiterals.format(network) + "/" + prefix;
  }
}
