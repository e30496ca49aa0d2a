package dev.harp.audit.tlog;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Arrays;

/**
 * An Ed25519 signing key with its note name, in one of two roles: a log's own checkpoint signature (signed-note
 * signature type 0x01) or a witness's {@code tlog-cosignature/v1} (type 0x04, which signs
 * {@code "cosignature/v1\ntime <t>\n" + checkpoint body}). Encodes to and parses from the C2SP private key string
 * {@code PRIVATE+KEY+<name>+<hex keyId>+<base64(type || 32-byte seed)>}.
 *
 * <p>The private key string is not in C2SP's signed-note (which defines only verifier keys): it is the format of
 * golang.org/x/mod/sumdb/note, which the C2SP tools share.
 */
public final class NoteSigner {

  public enum Role {
    LOG((byte) 0x01), COSIGNER((byte) 0x04);

    /** The signed-note signature type byte. */
    final byte type;

    Role(byte type) {
      this.type = type;
    }

    static Role ofType(byte type, String what) throws ProofException {
      for (Role role : values()) {
        if (role.type == type) {
          return role;
        }
      }
      throw new ProofException(what + ": signature type 0x" + String.format("%02x", type)
          + " is neither 0x01 (Ed25519) nor 0x04 (Ed25519 cosignature/v1)");
    }
  }

  private static final String PREFIX = "PRIVATE+KEY+";

  private final String name;
  private final Role role;
  private final byte[] seed;
  private final KeyPair keys;
  private final NoteVerifier verifier;

  private NoteSigner(String name, Role role, byte[] seed) {
    this.name = name;
    this.role = role;
    this.seed = seed.clone();
    this.keys = Ed25519.fromSeed(seed);
    this.verifier = new NoteVerifier(name, role, keys.getPublic());
  }

  public static NoteSigner generate(String name, Role role) {
    try {
      NoteKey.checkName(name, "signer");
    } catch (ProofException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    return new NoteSigner(name, role, Ed25519.newSeed());
  }

  public static NoteSigner parse(String privateKey) throws ProofException {
    if (!privateKey.startsWith(PREFIX)) {
      throw new ProofException("private key does not start with " + PREFIX);
    }
    NoteKey key = NoteKey.parse(privateKey.substring(PREFIX.length()), "private key");
    Role role = Role.ofType(key.type(), "private key " + key.name());
    if (key.material().length != Ed25519.KEY_SIZE) {
      throw new ProofException("private key " + key.name() + ": an Ed25519 seed is " + Ed25519.KEY_SIZE
          + " bytes, not " + key.material().length);
    }
    NoteSigner signer = new NoteSigner(key.name(), role, key.material());
    if (signer.verifier.keyId() != key.keyId()) {
      throw new ProofException("private key " + key.name() + ": key id " + NoteKey.hex(key.keyId())
          + " does not match the key (" + NoteKey.hex(signer.verifier.keyId()) + ")");
    }
    return signer;
  }

  public String encode() {
    return PREFIX + new NoteKey(name, verifier.keyId(), role.type, seed).encode();
  }

  public String name() {
    return name;
  }

  public Role role() {
    return role;
  }

  /** The matching verifier key. */
  public NoteVerifier verifier() {
    return verifier;
  }

  /** LOG role: signs the note text. */
  public NoteSignature sign(String text) {
    requireRole(Role.LOG);
    byte[] signature = Ed25519.sign(keys.getPrivate(), text.getBytes(StandardCharsets.UTF_8));
    return new NoteSignature(name, verifier.keyId(), signature);
  }

  /** COSIGNER role: a cosignature/v1 over the checkpoint body at {@code epochSeconds}. */
  public NoteSignature cosign(String checkpointBody, long epochSeconds) {
    requireRole(Role.COSIGNER);
    if (epochSeconds < 0) {
      throw new IllegalArgumentException("a cosignature time is POSIX seconds, not " + epochSeconds);
    }
    byte[] signature = Ed25519.sign(keys.getPrivate(), CosignatureV1.message(checkpointBody, epochSeconds));
    return new NoteSignature(name, verifier.keyId(), CosignatureV1.signatureBytes(epochSeconds, signature));
  }

  private void requireRole(Role wanted) {
    if (role != wanted) {
      throw new IllegalStateException(name + " is a " + role + " key, not a " + wanted + " key");
    }
  }

  @Override
  public String toString() {
    // Never the seed: a signer ends up in log lines and exception messages.
    return "NoteSigner[" + verifier.encode() + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NoteSigner other && role == other.role && name.equals(other.name)
        && Arrays.equals(seed, other.seed);
  }

  @Override
  public int hashCode() {
    return verifier.hashCode();
  }
}
