package dev.harp.audit.tlog;

import java.util.List;

/**
 * An append-only RFC 9162 Merkle tree over leaf hashes, kept incrementally: in memory only the hashes of complete
 * subtrees of {@link #TILE_LEAVES} leaves and above; anything below is recomputed from {@link LeafHashes} (at most
 * two tiles' leaves per proof). Thread-safe: appends and reads may come from different threads.
 */
public final class MerkleLog {

  /** Complete subtrees of this many leaves (2^8) and larger are kept in memory. */
  public static final int TILE_LEAVES = 256;

  public MerkleLog(LeafHashes leaves) {
    throw new UnsupportedOperationException("todo");
  }

  /** Appends the next leaf (its index is the size before the call). */
  public void append(byte[] leafHash) {
    throw new UnsupportedOperationException("todo");
  }

  public long size() {
    throw new UnsupportedOperationException("todo");
  }

  /** MTH of the whole tree. */
  public byte[] root() {
    throw new UnsupportedOperationException("todo");
  }

  /** MTH of the first {@code size} leaves (any size up to {@link #size()}). */
  public byte[] root(long size) {
    throw new UnsupportedOperationException("todo");
  }

  /** RFC 9162 §2.1.3.1 PATH(index, D[0:size]). */
  public List<byte[]> inclusionProof(long index, long size) {
    throw new UnsupportedOperationException("todo");
  }

  /** RFC 9162 §2.1.4.1 PROOF(oldSize, D[0:newSize]); empty when oldSize is 0 or equals newSize. */
  public List<byte[]> consistencyProof(long oldSize, long newSize) {
    throw new UnsupportedOperationException("todo");
  }
}
