package dev.harp.audit.tlog;

import java.util.HashMap;
import java.util.Map;

/**
 * MTH of any leaf range of one tree size, for the length of one root or proof computation: complete subtrees of a
 * tile or more come from memory, smaller ones are hashed from their tile's leaves, each tile read at most once.
 */
final class SubtreeHashes {

  private final CompleteSubtrees complete;
  private final LeafHashes leaves;
  private final long treeSize;
  private final Map<Long, byte[][]> tiles = new HashMap<>();
  // The ranges ending at the tree size are its right edge; a proof asks for several that share their lower parts.
  private final Map<Long, byte[]> rightEdge = new HashMap<>();

  SubtreeHashes(CompleteSubtrees complete, LeafHashes leaves, long treeSize) {
    this.complete = complete;
    this.leaves = leaves;
    this.treeSize = treeSize;
  }

  long treeSize() {
    return treeSize;
  }

  /** MTH(D[start:end]) for {@code 0 <= start <= end <= treeSize}. */
  byte[] hash(long start, long end) {
    if (start == end) {
      return Rfc9162.emptyRoot();
    }
    if (complete.has(start, end)) {
      return complete.get(start, end);
    }
    long tile = start / MerkleLog.TILE_LEAVES;
    if (tile == (end - 1) / MerkleLog.TILE_LEAVES) {
      int offset = (int) (start - tile * MerkleLog.TILE_LEAVES);
      return Rfc9162.rootOf(tile(tile), offset, offset + (int) (end - start));
    }
    if (end == treeSize) {
      byte[] known = rightEdge.get(start);
      if (known != null) {
        return known;
      }
    }
    long k = Rfc9162.splitPoint(end - start);
    byte[] hash = Rfc9162.nodeHash(hash(start, start + k), hash(start + k, end));
    if (end == treeSize) {
      rightEdge.put(start, hash);
    }
    return hash;
  }

  private byte[][] tile(long tile) {
    return tiles.computeIfAbsent(tile, t -> {
      long from = t * MerkleLog.TILE_LEAVES;
      return read(leaves, from, Math.min(from + MerkleLog.TILE_LEAVES, treeSize));
    });
  }

  /** {@link LeafHashes#read}, refusing an answer of the wrong length rather than hashing it into a wrong root. */
  static byte[][] read(LeafHashes leaves, long from, long to) {
    byte[][] read = leaves.read(from, to);
    if (read == null || read.length != to - from) {
      throw new IllegalStateException("the leaf store returned " + (read == null ? "nothing" : read.length
          + " hashes") + " for leaves [" + from + ", " + to + ")");
    }
    return read;
  }
}
