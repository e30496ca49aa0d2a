package dev.harp.audit.tlog;

/**
 * A C2SP verifier key {@code <name>+<hex keyId>+<base64(type || 32-byte public key)>}, type 0x01 (Ed25519 note
 * signature) or 0x04 (Ed25519 {@code tlog-cosignature/v1}). keyId = first 4 bytes of SHA-256(name || 0x0A || type ||
 * public key).
 */
public final class NoteVerifier {

  public static NoteVerifier parse(String verifierKey) throws ProofException {
    throw new UnsupportedOperationException("todo");
  }

  public String encode() {
    throw new UnsupportedOperationException("todo");
  }

  public String name() {
    throw new UnsupportedOperationException("todo");
  }

  public int keyId() {
    throw new UnsupportedOperationException("todo");
  }

  public NoteSigner.Role role() {
    throw new UnsupportedOperationException("todo");
  }

  /** Whether {@code sig} (same name and key id) is a valid signature, or cosignature, of {@code text}. */
  public boolean verify(String text, NoteSignature sig) {
    throw new UnsupportedOperationException("todo");
  }

  /** For a cosignature: its timestamp in epoch seconds. */
  public static long cosignatureTime(NoteSignature sig) {
    throw new UnsupportedOperationException("todo");
  }
}
