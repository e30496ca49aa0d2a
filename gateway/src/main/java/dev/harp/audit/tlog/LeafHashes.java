package dev.harp.audit.tlog;

/** Where a {@link MerkleLog} reads leaf hashes it does not keep in memory (the store's leaf table). */
@FunctionalInterface
public interface LeafHashes {

  /** The leaf hashes {@code [from, to)}, in order; every one of them was appended before. */
  byte[][] read(long from, long to);
}
