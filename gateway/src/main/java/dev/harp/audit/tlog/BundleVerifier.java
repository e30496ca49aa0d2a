package dev.harp.audit.tlog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code harp audit verify}: checks an exported {@code harp-audit-bundle/v1} (a receipt is one with a single record)
 * offline, against a keys file of trusted verifier keys and a quorum. The checks run in order and stop at the first
 * failure: 1. the format; 2. each checkpoint's signatures; 3. consistency from each checkpoint to the next; 4. the
 * records, contiguous and included in the last checkpoint; 5. the body blobs. A failure is a {@link Result}, never an
 * exception, and its message names the record index, checkpoint size or key that failed.
 */
public final class BundleVerifier {

  /** The bundle format this verifier reads, in the bundle's {@code "format"} field. */
  public static final String FORMAT = "harp-audit-bundle/v1";

  /**
   * The verdict. {@code recordsVerified} and {@code checkpointsVerified} count what passed its own check before the
   * run stopped (all of them when {@code ok}).
   */
  public record Result(boolean ok, String message, int recordsVerified, int checkpointsVerified) {
  }

  private int records;
  private int checkpoints;

  private BundleVerifier() {
  }

  /** Reads both files as UTF-8; a file that cannot be read is a failed result too. */
  public static Result verify(Path bundle, Path keys) {
    String bundleJson;
    String keysFile;
    try {
      bundleJson = Files.readString(bundle, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new Result(false, "cannot read bundle " + bundle + ": " + e, 0, 0);
    }
    try {
      keysFile = Files.readString(keys, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new Result(false, "cannot read keys file " + keys + ": " + e, 0, 0);
    }
    return verify(bundleJson, keysFile);
  }

  public static Result verify(String bundleJson, String keysFile) {
    BundleVerifier run = new BundleVerifier();
    try {
      String summary = run.check(bundleJson, keysFile);
      return new Result(true, summary, run.records, run.checkpoints);
    } catch (ProofException e) {
      return new Result(false, e.getMessage(), run.records, run.checkpoints);
    }
  }

  private String check(String bundleJson, String keysFile) throws ProofException {
    AuditBundle bundle = AuditBundle.parse(bundleJson);
    TrustedKeys trust = TrustedKeys.parse(keysFile);

    CheckpointSignatures signatures = new CheckpointSignatures(trust, bundle.origin());
    List<Checkpoint> verified = new ArrayList<>();
    for (AuditBundle.SignedCheckpoint entry : bundle.checkpoints()) {
      verified.add(signatures.verify(entry.note(), verified.size() + 1));
      checkpoints++;
    }
    CheckpointChain.verify(verified, bundle.checkpoints());
    Checkpoint last = verified.get(verified.size() - 1);
    RecordInclusion.verify(bundle.records(), bundle.inclusion(), last, () -> records++);
    int bodies = BlobContents.verify(bundle.blobs(), bundle.records());

    return summary(bundle, last, trust, bodies);
  }

  private String summary(AuditBundle bundle, Checkpoint last, TrustedKeys trust, int bodies) {
    List<AuditBundle.Entry> entries = bundle.records();
    String span = entries.isEmpty() ? "" : " (" + entries.get(0).index()
        + (entries.size() == 1 ? "" : ".." + entries.get(entries.size() - 1).index()) + ")";
    return "verified: " + count(entries.size(), "record", "records") + span + " included in checkpoint " + last.size()
        + " of " + bundle.origin() + "; " + count(checkpoints, "checkpoint", "checkpoints")
        + " consistent, each signed by at least " + trust.quorum() + " of " + String.join(", ", trust.names()) + "; "
        + count(bodies, "record body", "record bodies") + " matched";
  }

  private static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
