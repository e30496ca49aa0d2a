package dev.harp.audit.store;

import java.util.Arrays;
import java.util.HexFormat;

/** The log as far as it is committed: its size and RFC 9162 root hash. Compared by value. */
public record TreeHead(long size, byte[] root) {

  public TreeHead {
    root = root.clone();
  }

  @Override
  public byte[] root() {
    return root.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TreeHead h && h.size == size && Arrays.equals(h.root, root);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(size) * 31 + Arrays.hashCode(root);
  }

  @Override
  public String toString() {
    return "TreeHead[size=" + size + ", root=" + HexFormat.of().formatHex(root) + "]";
  }
}
