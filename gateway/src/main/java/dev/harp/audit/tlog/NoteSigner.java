package dev.harp.audit.tlog;

/**
 * An Ed25519 signing key with its note name, in one of two roles: a log's own checkpoint signature (signed-note
 * signature type 0x01) or a witness's {@code tlog-cosignature/v1} (type 0x04, which signs
 * {@code "cosignature/v1\ntime <t>\n" + checkpoint body}). Encodes to and parses from the C2SP private key string
 * {@code PRIVATE+KEY+<name>+<hex keyId>+<base64(type || 32-byte seed)>}.
 */
public final class NoteSigner {

  public enum Role { LOG, COSIGNER }

  public static NoteSigner generate(String name, Role role) {
    throw new UnsupportedOperationException("todo");
  }

  public static NoteSigner parse(String privateKey) throws ProofException {
    throw new UnsupportedOperationException("todo");
  }

  public String encode() {
    throw new UnsupportedOperationException("todo");
  }

  public String name() {
    throw new UnsupportedOperationException("todo");
  }

  public Role role() {
    throw new UnsupportedOperationException("todo");
  }

  /** The matching verifier key. */
  public NoteVerifier verifier() {
    throw new UnsupportedOperationException("todo");
  }

  /** LOG role: signs the note text. */
  public NoteSignature sign(String text) {
    throw new UnsupportedOperationException("todo");
  }

  /** COSIGNER role: a cosignature/v1 over the checkpoint body at {@code epochSeconds}. */
  public NoteSignature cosign(String checkpointBody, long epochSeconds) {
    throw new UnsupportedOperationException("todo");
  }
}
