package dev.harp.audit.tlog;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * A C2SP verifier key {@code <name>+<hex keyId>+<base64(type || 32-byte public key)>}, type 0x01 (Ed25519 note
 * signature) or 0x04 (Ed25519 {@code tlog-cosignature/v1}). keyId = first 4 bytes of SHA-256(name || 0x0A || type ||
 * public key).
 */
public final class NoteVerifier {

  private final String name;
  private final NoteSigner.Role role;
  private final PublicKey key;
  private final byte[] encodedKey;
  private final int keyId;

  NoteVerifier(String name, NoteSigner.Role role, PublicKey key) {
    this.name = name;
    this.role = role;
    this.key = key;
    this.encodedKey = Ed25519.encode(key);
    this.keyId = NoteKey.keyId(name, role.type, encodedKey);
  }

  public static NoteVerifier parse(String verifierKey) throws ProofException {
    NoteKey parsed = NoteKey.parse(verifierKey, "verifier key");
    String what = "verifier key " + parsed.name();
    NoteSigner.Role role = NoteSigner.Role.ofType(parsed.type(), what);
    NoteVerifier verifier;
    try {
      verifier = new NoteVerifier(parsed.name(), role, Ed25519.publicKey(parsed.material()));
    } catch (ProofException e) {
      throw new ProofException(what + ": " + e.getMessage());
    }
    // signed-note only recommends this id; cosignatures require it, and every key HARP trusts is one of the two.
    if (verifier.keyId != parsed.keyId()) {
      throw new ProofException(what + ": key id " + NoteKey.hex(parsed.keyId()) + " does not match the key ("
          + NoteKey.hex(verifier.keyId) + ")");
    }
    return verifier;
  }

  public String encode() {
    return new NoteKey(name, keyId, role.type, encodedKey).encode();
  }

  public String name() {
    return name;
  }

  public int keyId() {
    return keyId;
  }

  public NoteSigner.Role role() {
    return role;
  }

  /** Whether {@code sig} (same name and key id) is a valid signature, or cosignature, of {@code text}. */
  public boolean verify(String text, NoteSignature sig) {
    if (!sig.name().equals(name) || sig.keyId() != keyId) {
      return false;
    }
    byte[] bytes = sig.signature();
    return switch (role) {
      case LOG -> Ed25519.verify(key, text.getBytes(StandardCharsets.UTF_8), bytes);
      case COSIGNER -> verifyCosignature(text, bytes);
    };
  }

  private boolean verifyCosignature(String checkpointBody, byte[] bytes) {
    if (bytes.length != CosignatureV1.SIGNATURE_SIZE) {
      return false;
    }
    long time = CosignatureV1.time(bytes);
    // The spec caps the timestamp at 2^63 - 1; read as a long, anything above is negative.
    return time >= 0 && Ed25519.verify(key, CosignatureV1.message(checkpointBody, time), CosignatureV1.ed25519(bytes));
  }

  /** For a cosignature: its timestamp in epoch seconds. */
  public static long cosignatureTime(NoteSignature sig) {
    return CosignatureV1.time(sig.signature());
  }

  @Override
  public String toString() {
    return encode();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NoteVerifier other && keyId == other.keyId && role == other.role && name.equals(other.name)
        && Arrays.equals(encodedKey, other.encodedKey);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + keyId;
  }
}
