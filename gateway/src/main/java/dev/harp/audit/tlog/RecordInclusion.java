package dev.harp.audit.tlog;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Check 4 of a bundle: the records are a contiguous run of the log, and each one's inclusion proof leads from its
 * leaf (the UTF-8 bytes of its text, exactly) to the last checkpoint's root.
 */
final class RecordInclusion {

  private RecordInclusion() {
  }

  /** @param verified called once per record that checks out, in order */
  static void verify(List<AuditBundle.Entry> records, Map<String, List<String>> inclusion, Checkpoint last,
      Runnable verified) throws ProofException {
    for (int i = 0; i < records.size(); i++) {
      long index = records.get(i).index();
      if (i > 0) {
        checkFollows(records.get(i - 1).index(), index);
      }
      String name = "record " + index;
      if (index < 0 || index >= last.size()) {
        throw new ProofException(name + " is not in the last checkpoint (size " + last.size() + ")");
      }
      List<String> proof = inclusion.get(Long.toString(index));
      if (proof == null) {
        throw new ProofException(name + ": no inclusion proof");
      }
      byte[] leaf = Rfc9162.leafHash(records.get(i).record().getBytes(StandardCharsets.UTF_8));
      try {
        MerkleProofs.verifyInclusion(index, last.size(), leaf, AuditBundle.hashes(proof, "inclusion proof"),
            last.rootHash());
      } catch (ProofException e) {
        throw new ProofException(name + ": " + e.getMessage());
      }
      verified.run();
    }
  }

  private static void checkFollows(long previous, long index) throws ProofException {
    if (index == previous) {
      throw new ProofException("record " + index + " appears twice");
    }
    if (index < previous) {
      throw new ProofException("record " + index + " is out of order (it follows " + previous + ")");
    }
    if (index > previous + 1) {
      throw new ProofException("record " + (previous + 1) + " is missing (" + previous + " is followed by " + index
          + ")");
    }
  }
}
