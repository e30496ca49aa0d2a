package dev.harp.net;

import dev.harp.config.ConfigNode;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A list of CIDR blocks (trusted proxies, a ban allow-list, purge networks); empty contains nothing. */
public record AddressSet(List<Cidr> blocks) {

  public static final AddressSet NONE = new AddressSet(List.of());

  public AddressSet {
    blocks = List.copyOf(blocks);
  }

  /** @throws IllegalArgumentException with a user-facing reason, for the first block that is not one */
  public static AddressSet of(List<String> blocks) {
    return new AddressSet(blocks.stream().map(Cidr::parse).toList());
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  /** False for text that is not a literal address: it is in no block. */
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
  public static AddressSet read(ConfigNode n, String key) {
    List<String> texts = n.strings(key);
    List<Cidr> out = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      try {
        out.add(Cidr.parse(texts.get(i)));
      } catch (IllegalArgumentException e) {
        n.problems().add(n.pathOf(key) + (n.raw().path(key).isArray() ? "[" + i + "]" : ""), e.getMessage());
      }
    }
    return new AddressSet(out);
  }

  @Override
  public String toString() {
    return blocks.stream().map(Cidr::toString).collect(Collectors.joining(", ", "[", "]"));
  }
}
