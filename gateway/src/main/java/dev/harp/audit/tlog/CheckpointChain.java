package dev.harp.audit.tlog;

import java.util.List;

/** Check 3 of a bundle: each checkpoint extends the one before it, as its consistency proof shows. */
final class CheckpointChain {

  private CheckpointChain() {
  }

  /** @param checkpoints verified by check 2, in the bundle's order, beside the entries they came from */
  static void verify(List<Checkpoint> checkpoints, List<AuditBundle.SignedCheckpoint> entries)
      throws ProofException {
    if (!entries.get(0).consistency().isEmpty()) {
      throw new ProofException("checkpoint " + checkpoints.get(0).size()
          + ": the first checkpoint has no earlier one for its consistency proof");
    }
    for (int i = 1; i < checkpoints.size(); i++) {
      Checkpoint earlier = checkpoints.get(i - 1);
      Checkpoint later = checkpoints.get(i);
      String name = "checkpoint " + later.size();
      if (later.size() < earlier.size()) {
        throw new ProofException(name + " follows checkpoint " + earlier.size() + ": sizes must not decrease");
      }
      List<byte[]> proof = AuditBundle.hashes(entries.get(i).consistency(), name + ": consistency proof");
      try {
        MerkleProofs.verifyConsistency(earlier.size(), later.size(), earlier.rootHash(), later.rootHash(), proof);
      } catch (ProofException e) {
        throw new ProofException(name + ": " + e.getMessage());
      }
    }
  }
}
