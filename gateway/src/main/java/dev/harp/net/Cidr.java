package dev.harp.net;

import java.util.Arrays;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code fd00::/8}; a bare address is a block of one. The one CIDR type
 * of every feature (trusted proxies, ban allow-lists, purge networks). An IPv4-mapped block
 * ({@code ::ffff:10.0.0.0/104}) is the IPv4 block it maps ({@code 10.0.0.0/8}), as addresses are (see
 * {@link IpLiterals}); families never mix otherwise.
 *
 * @param network the block's address bytes, host bits cleared
 */
public record Cidr(byte[] network, int prefix) {

  /** @throws IllegalArgumentException with a user-facing reason */
  public static Cidr parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    String literal = slash < 0 ? s : s.substring(0, slash);
    byte[] address = IpLiterals.parse(literal);
    if (address == null) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block (e.g. 10.0.0.0/8)");
    }
    boolean mapped = address.length == 4 && literal.indexOf(':') >= 0;
    int bits = mapped ? 128 : address.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String p = s.substring(slash + 1);
      if (!p.matches("0|[1-9]\\d{0,2}") || Integer.parseInt(p) > bits || (mapped && Integer.parseInt(p) < 96)) {
        throw new IllegalArgumentException("'" + text + "' has an invalid prefix length ("
            + (mapped ? "96-128 for an IPv4-mapped block" : "0-" + bits) + ")");
      }
      prefix = Integer.parseInt(p);
    }
    if (mapped) {
      prefix -= 96;
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

  /** By value: two spellings of one block are equal (records compare arrays by identity). */
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
