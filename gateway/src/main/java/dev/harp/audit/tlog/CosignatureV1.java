package dev.harp.audit.tlog;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * C2SP tlog-cosignature, Ed25519 flavour: the signed message is {@code "cosignature/v1\ntime <t>\n" + checkpoint
 * body}, and the note signature's bytes after the key id are {@code timestamp (u64, big-endian) || Ed25519 (64)}.
 */
final class CosignatureV1 {

  static final int SIGNATURE_SIZE = Long.BYTES + Ed25519.SIGNATURE_SIZE;

  private CosignatureV1() {
  }

  /** @param time POSIX seconds; the spec caps it at 2^63 - 1, which a non-negative long is */
  static byte[] message(String checkpointBody, long time) {
    return ("cosignature/v1\ntime " + time + "\n" + checkpointBody).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] signatureBytes(long time, byte[] ed25519) {
    return ByteBuffer.allocate(SIGNATURE_SIZE).putLong(time).put(ed25519).array();
  }

  static long time(byte[] signatureBytes) {
    if (signatureBytes.length < Long.BYTES) {
      throw new IllegalArgumentException("a cosignature starts with an 8-byte timestamp; this one is "
          + signatureBytes.length + " bytes");
    }
    return ByteBuffer.wrap(signatureBytes).getLong();
  }

  static byte[] ed25519(byte[] signatureBytes) {
    byte[] out = new byte[signatureBytes.length - Long.BYTES];
    System.arraycopy(signatureBytes, Long.BYTES, out, 0, out.length);
    return out;
  }
}
