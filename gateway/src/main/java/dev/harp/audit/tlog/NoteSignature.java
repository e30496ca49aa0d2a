package dev.harp.audit.tlog;

/**
 * One signature line of a C2SP {@code signed-note}: {@code — <name> <base64(keyId(4) || signature)>}. For a
 * {@code tlog-cosignature/v1} the signature bytes are {@code timestamp(8, big-endian) || Ed25519 signature(64)}.
 */
public record NoteSignature(String name, int keyId, byte[] signature) {
}
