package dev.harp.ratelimit;

import java.util.List;

/** A list of CIDR blocks (trusted proxies, a ban allow-list); empty contains nothing. */
public record AddressSet(List<Cidr> blocks) {

  public static final AddressSet NONE = new AddressSet(List.of());

  public AddressSet {
    blocks = List.copyOf(blocks);
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  public boolean contains(String address) {
    return !blocks.isEmpty() && contains(IpLiterals.parse(address));
  }

  public boolean contains(byte[] address) {
    for (Cidr c : blocks) {
      if (c.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** Reads a list of blocks, recording each bad entry with its index in the key path. */
  public static AddressSet read(dev.harp.config.ConfigNode n, String key) {
    List<String> texts = n.strings(key);
    java.util.ArrayList<Cidr> out = new java.util.ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      try {
        out.add(Cidr.parse(texts.get(i)));
      } catch (IllegalArgumentException e) {
        n.problems().add(n.pathOf(key) + (n.raw().path(key).isArray() ? "[" + i + "]" : ""), e.getMessage());
      }
    }
    return new AddressSet(out);
  }
}
