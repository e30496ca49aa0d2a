package dev.harp.audit.tlog;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Check 2 of a bundle: each checkpoint's note parses, its text is a checkpoint of the bundle's log, and trusted keys
 * of at least a quorum of distinct names verify on it (a log signature and cosignatures alike; a name counts once).
 */
final class CheckpointSignatures {

  private final TrustedKeys trust;
  private final String origin;

  CheckpointSignatures(TrustedKeys trust, String origin) {
    this.trust = trust;
    this.origin = origin;
  }

  /** @param position counted from 1, naming the checkpoint until its size is known */
  Checkpoint verify(String note, int position) throws ProofException {
    SignedNote signed;
    Checkpoint checkpoint;
    try {
      signed = SignedNote.parse(note);
      checkpoint = Checkpoint.parse(signed.text());
    } catch (ProofException e) {
      throw new ProofException("checkpoint #" + position + ": " + e.getMessage());
    }
    String name = "checkpoint " + checkpoint.size();
    if (!checkpoint.origin().equals(origin)) {
      throw new ProofException(name + ": origin '" + checkpoint.origin() + "' is not the bundle's '" + origin + "'");
    }
    Set<String> signers = new TreeSet<>();
    List<String> untrusted = new ArrayList<>();
    for (NoteSignature signature : signed.signatures()) {
      NoteVerifier key = trust.find(signature).orElse(null);
      String signer = signature.name() + "+" + NoteKey.hex(signature.keyId());
      if (key == null) {
        untrusted.add(signer);
      } else if (key.verify(signed.text(), signature)) {
        signers.add(signature.name());
      } else {
        // signed-note: a known key's failed signature should reject the whole note, not just go uncounted.
        throw new ProofException(name + ": the signature of " + signer + " does not verify");
      }
    }
    if (signers.size() < trust.quorum()) {
      throw new ProofException(name + ": " + signers.size() + " of " + trust.quorum()
          + " required trusted signatures" + (untrusted.isEmpty() ? "" : " (not trusted: "
          + String.join(", ", untrusted) + ")"));
    }
    return checkpoint;
  }
}
