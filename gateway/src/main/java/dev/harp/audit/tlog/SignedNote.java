package dev.harp.audit.tlog;

import java.util.List;

/**
 * C2SP {@code signed-note}: the text (ending in a newline), a blank line, then one or more signature lines. Unknown
 * signatures are kept (a verifier ignores what it has no key for).
 */
public record SignedNote(String text, List<NoteSignature> signatures) {

  public String encode() {
    throw new UnsupportedOperationException("todo");
  }

  /** @throws ProofException when malformed (says why) */
  public static SignedNote parse(String note) throws ProofException {
    throw new UnsupportedOperationException("todo");
  }
}
