package dev.harp.audit.tlog;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 §2.1.3.1 PATH and §2.1.4.1 PROOF/SUBPROOF over one tree size. The recursions run on absolute leaf
 * positions, {@code [start, end)}, so every range they hash is a node of that size's tree.
 */
final class ProofBuilder {

  private final SubtreeHashes tree;

  ProofBuilder(SubtreeHashes tree) {
    this.tree = tree;
  }

  /** PATH(index, D[0:treeSize]), leaf side first. */
  List<byte[]> inclusion(long index) {
    List<byte[]> proof = new ArrayList<>();
    path(index, 0, tree.treeSize(), proof);
    return proof;
  }

  /** PROOF(oldSize, D[0:treeSize]) for {@code 0 < oldSize < treeSize}. */
  List<byte[]> consistency(long oldSize) {
    List<byte[]> proof = new ArrayList<>();
    subproof(oldSize, 0, tree.treeSize(), true, proof);
    return proof;
  }

  private void path(long index, long start, long end, List<byte[]> proof) {
    if (end - start == 1) {
      return;
    }
    long split = start + Rfc9162.splitPoint(end - start);
    if (index < split) {
      path(index, start, split, proof);
      proof.add(tree.hash(split, end));
    } else {
      path(index, split, end, proof);
      proof.add(tree.hash(start, split));
    }
  }

  // 'whole' is SUBPROOF's b: true while [start, end) starts at leaf 0, so a range ending at oldSize is the old tree,
  // whose root the verifier already has and the proof leaves out.
  private void subproof(long oldSize, long start, long end, boolean whole, List<byte[]> proof) {
    if (oldSize == end) {
      if (!whole) {
        proof.add(tree.hash(start, end));
      }
      return;
    }
    long split = start + Rfc9162.splitPoint(end - start);
    if (oldSize <= split) {
      subproof(oldSize, start, split, whole, proof);
      proof.add(tree.hash(split, end));
    } else {
      subproof(oldSize, split, end, false, proof);
      proof.add(tree.hash(start, split));
    }
  }
}
