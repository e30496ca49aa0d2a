package dev.harp.audit.tlog;

import java.util.List;

/**
 * C2SP {@code tlog-checkpoint}: origin line, decimal tree size, base64 root hash, then optional extension lines, each
 * ending in a newline. {@link #body()} is the exact text that gets signed.
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {

  public String body() {
    throw new UnsupportedOperationException("todo");
  }

  /** @throws ProofException when the text is not a well-formed checkpoint (says which line) */
  public static Checkpoint parse(String body) throws ProofException {
    throw new UnsupportedOperationException("todo");
  }
}
