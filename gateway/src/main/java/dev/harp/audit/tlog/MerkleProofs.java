package dev.harp.audit.tlog;

import java.util.List;

/** RFC 9162 §2.1.3.2 and §2.1.4.2 verification, needing nothing but the proof. */
public final class MerkleProofs {

  private MerkleProofs() {
  }

  /** @throws ProofException naming the index and size when the path does not lead to {@code root} */
  public static void verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root)
      throws ProofException {
    throw new UnsupportedOperationException("todo");
  }

  /** @throws ProofException naming both sizes when the proof does not link {@code oldRoot} to {@code newRoot} */
  public static void verifyConsistency(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot, List<byte[]> proof)
      throws ProofException {
    throw new UnsupportedOperationException("todo");
  }
}
