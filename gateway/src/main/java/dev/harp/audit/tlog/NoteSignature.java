package dev.harp.audit.tlog;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * One signature line of a C2SP {@code signed-note}: {@code — <name> <base64(keyId(4) || signature)>}. For a
 * {@code tlog-cosignature/v1} the signature bytes are {@code timestamp(8, big-endian) || Ed25519 signature(64)}.
 */
public record NoteSignature(String name, int keyId, byte[] signature) {

  public NoteSignature {
    Objects.requireNonNull(name, "name");
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NoteSignature other && keyId == other.keyId && name.equals(other.name)
        && Arrays.equals(signature, other.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, keyId, Arrays.hashCode(signature));
  }

  @Override
  public String toString() {
    return "NoteSignature[" + name + "+" + NoteKey.hex(keyId) + " " + Base64.getEncoder().encodeToString(signature)
        + "]";
  }
}
