package dev.harp.audit.tlog;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An append-only RFC 9162 Merkle tree over leaf hashes, kept incrementally: in memory only the hashes of complete
 * subtrees of {@link #TILE_LEAVES} leaves and above; anything below is recomputed from {@link LeafHashes} (at most
 * two tiles' leaves per proof). Thread-safe: appends and reads may come from different threads.
 *
 * <p>Roots and proofs read the leaf store without holding this log's lock, so a store may call {@link #append} under
 * a lock of its own. {@link #append} reads the store on the appending thread, once per tile: the 255 leaves before
 * the one that completes it, which must be readable there by then.
 */
public final class MerkleLog {

  /** Complete subtrees of this many leaves (2^8) and larger are kept in memory. */
  public static final int TILE_LEAVES = 256;

  private final LeafHashes leaves;
  private final CompleteSubtrees complete = new CompleteSubtrees();
  private long size;

  public MerkleLog(LeafHashes leaves) {
    this.leaves = Objects.requireNonNull(leaves, "leaves");
  }

  /** Appends the next leaf (its index is the size before the call). */
  public synchronized void append(byte[] leafHash) {
    if (leafHash == null || leafHash.length != Rfc9162.HASH_SIZE) {
      throw new IllegalArgumentException("a leaf hash is " + Rfc9162.HASH_SIZE + " bytes");
    }
    long index = size;
    if ((index + 1) % TILE_LEAVES == 0) {
      // The store may not hold this leaf yet (the caller can append before it commits), so it comes from the argument.
      long tileStart = index + 1 - TILE_LEAVES;
      byte[][] tile = Arrays.copyOf(SubtreeHashes.read(leaves, tileStart, index), TILE_LEAVES);
      tile[TILE_LEAVES - 1] = leafHash;
      complete.addTile(Rfc9162.rootOf(tile, 0, TILE_LEAVES));
    }
    // After the tile: a reader that sees this size finds every subtree it completes.
    size = index + 1;
  }

  public synchronized long size() {
    return size;
  }

  /** MTH of the whole tree. */
  public byte[] root() {
    long current = size();
    return view(current).hash(0, current);
  }

  /** MTH of the first {@code size} leaves (any size up to {@link #size()}). */
  public byte[] root(long size) {
    return view(size).hash(0, size);
  }

  /** RFC 9162 §2.1.3.1 PATH(index, D[0:size]). */
  public List<byte[]> inclusionProof(long index, long size) {
    SubtreeHashes tree = view(size);
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("index " + index + " is not in a tree of size " + size);
    }
    return new ProofBuilder(tree).inclusion(index);
  }

  /** RFC 9162 §2.1.4.1 PROOF(oldSize, D[0:newSize]); empty when oldSize is 0 or equals newSize. */
  public List<byte[]> consistencyProof(long oldSize, long newSize) {
    SubtreeHashes tree = view(newSize);
    if (oldSize < 0 || oldSize > newSize) {
      throw new IllegalArgumentException("oldSize " + oldSize + " is not between 0 and newSize " + newSize);
    }
    if (oldSize == 0 || oldSize == newSize) {
      return List.of();
    }
    return new ProofBuilder(tree).consistency(oldSize);
  }

  /** A view of the first {@code treeSize} leaves, which stays valid however far the log grows meanwhile. */
  private SubtreeHashes view(long treeSize) {
    long current = size();
    if (treeSize < 0 || treeSize > current) {
      throw new IllegalArgumentException("size " + treeSize + " is not between 0 and the log's size " + current);
    }
    return new SubtreeHashes(complete, leaves, treeSize);
  }
}
