package dev.harp.audit.tlog;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/** RFC 9162 §2.1.3.2 and §2.1.4.2 verification, needing nothing but the proof. */
public final class MerkleProofs {

  private MerkleProofs() {
  }

  /** @throws ProofException naming the index and size when the path does not lead to {@code root} */
  public static void verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root)
      throws ProofException {
    String what = "inclusion proof of index " + index + " in tree size " + size;
    if (index < 0 || index >= size) {
      throw new ProofException(what + ": the index is not in the tree");
    }
    requireHash(leafHash, what, "the leaf hash");
    requireHashes(proof, what);
    // §2.1.3.2: fn walks the leaf's position up the tree, sn the last leaf's; they meet at the root.
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (sn == 0) {
        throw new ProofException(what + ": " + proof.size() + " hashes are more than the path has");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = Rfc9162.nodeHash(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = Rfc9162.nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw new ProofException(what + ": " + proof.size() + " hashes are fewer than the path has");
    }
    if (!MessageDigest.isEqual(r, root)) {
      throw new ProofException(what + ": the path does not lead to the root");
    }
  }

  /** @throws ProofException naming both sizes when the proof does not link {@code oldRoot} to {@code newRoot} */
  public static void verifyConsistency(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot, List<byte[]> proof)
      throws ProofException {
    String what = "consistency proof from size " + oldSize + " to size " + newSize;
    if (oldSize < 0 || newSize < oldSize) {
      throw new ProofException(what + ": the tree cannot shrink");
    }
    if (oldRoot == null || newRoot == null) {
      throw new ProofException(what + ": a root is missing");
    }
    requireHashes(proof, what);
    // §2.1.4.2 covers 0 < old < new; the two edges have nothing to prove, so the proof must be empty.
    if (oldSize == 0 || oldSize == newSize) {
      verifyTrivial(oldSize, newSize, oldRoot, newRoot, proof, what);
      return;
    }
    if (proof.isEmpty()) {
      throw new ProofException(what + ": the proof is empty");
    }
    List<byte[]> path = proof;
    if (Long.bitCount(oldSize) == 1) {
      // The old tree is itself a complete subtree of the new one, so the proof leaves out its root.
      path = new ArrayList<>(proof.size() + 1);
      path.add(oldRoot);
      path.addAll(proof);
    }
    long fn = oldSize - 1;
    long sn = newSize - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (byte[] c : path.subList(1, path.size())) {
      if (sn == 0) {
        throw new ProofException(what + ": " + proof.size() + " hashes are more than the two trees need");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = Rfc9162.nodeHash(c, fr);
        sr = Rfc9162.nodeHash(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        sr = Rfc9162.nodeHash(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw new ProofException(what + ": " + proof.size() + " hashes are fewer than the two trees need");
    }
    if (!MessageDigest.isEqual(fr, oldRoot)) {
      throw new ProofException(what + ": the proof does not lead to the old root");
    }
    if (!MessageDigest.isEqual(sr, newRoot)) {
      throw new ProofException(what + ": the proof does not lead to the new root");
    }
  }

  private static void verifyTrivial(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot, List<byte[]> proof,
      String what) throws ProofException {
    if (!proof.isEmpty()) {
      throw new ProofException(what + ": the proof must be empty, it has " + proof.size() + " hashes");
    }
    if (oldSize == 0 && !MessageDigest.isEqual(oldRoot, Rfc9162.emptyRoot())) {
      throw new ProofException(what + ": the old root is not the empty tree's");
    }
    if (oldSize == newSize && !MessageDigest.isEqual(oldRoot, newRoot)) {
      throw new ProofException(what + ": the same size has two different roots");
    }
  }

  private static void requireHashes(List<byte[]> proof, String what) throws ProofException {
    for (int i = 0; i < proof.size(); i++) {
      requireHash(proof.get(i), what, "hash " + i + " of the proof");
    }
  }

  private static void requireHash(byte[] hash, String what, String which) throws ProofException {
    if (hash == null || hash.length != Rfc9162.HASH_SIZE) {
      throw new ProofException(what + ": " + which + " is " + (hash == null ? "missing" : hash.length + " bytes")
          + ", not " + Rfc9162.HASH_SIZE);
    }
  }
}
