package dev.harp.audit.tlog;

import java.util.ArrayList;
import java.util.List;

/**
 * The hashes of every complete, aligned subtree of {@link MerkleLog#TILE_LEAVES} leaves or more: about two hashes per
 * tile of the log (under half a byte a leaf). Entries never change once added, so a reader may look up any subtree
 * inside a size it has seen, without holding the log while it reads the leaf store.
 */
final class CompleteSubtrees {

  static final int TILE_LEVEL = Integer.numberOfTrailingZeros(MerkleLog.TILE_LEAVES);

  // byLevel.get(h) lists, left to right, the subtrees of 2^(TILE_LEVEL + h) leaves completed so far.
  private final List<List<byte[]>> byLevel = new ArrayList<>();

  /** Adds the next tile's hash, and the hash of every larger subtree that this tile completes. */
  synchronized void addTile(byte[] tileHash) {
    byte[] completed = tileHash;
    for (int h = 0; ; h++) {
      if (byLevel.size() == h) {
        byLevel.add(new ArrayList<>());
      }
      List<byte[]> level = byLevel.get(h);
      level.add(completed);
      if (level.size() % 2 == 1) {
        return;
      }
      completed = Rfc9162.nodeHash(level.get(level.size() - 2), completed);
    }
  }

  /** Whether leaves {@code [start, end)} form a subtree kept here (aligned, a power of two, at least a tile, done). */
  synchronized boolean has(long start, long end) {
    long width = end - start;
    if (width < MerkleLog.TILE_LEAVES || Long.bitCount(width) != 1 || start % width != 0) {
      return false;
    }
    int h = Long.numberOfTrailingZeros(width) - TILE_LEVEL;
    return h < byLevel.size() && start / width < byLevel.get(h).size();
  }

  /** The hash of leaves {@code [start, end)}, a copy (it may end up in a caller's proof); only when {@link #has}. */
  synchronized byte[] get(long start, long end) {
    long width = end - start;
    return byLevel.get(Long.numberOfTrailingZeros(width) - TILE_LEVEL).get(Math.toIntExact(start / width)).clone();
  }
}
