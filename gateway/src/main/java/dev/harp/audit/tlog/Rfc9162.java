package dev.harp.audit.tlog;

/** RFC 9162 §2.1.1 hashing with SHA-256: leaves are prefixed 0x00, interior nodes 0x01. */
public final class Rfc9162 {

  public static final int HASH_SIZE = 32;

  private Rfc9162() {
  }

  /** SHA-256(0x00 || data). */
  public static byte[] leafHash(byte[] data) {
    throw new UnsupportedOperationException("todo");
  }

  /** SHA-256(0x01 || left || right). */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    throw new UnsupportedOperationException("todo");
  }

  /** The root of the empty tree: SHA-256 of the empty string. */
  public static byte[] emptyRoot() {
    throw new UnsupportedOperationException("todo");
  }
}
