package dev.harp.audit.tlog;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/** RFC 9162 §2.1.1 hashing with SHA-256: leaves are prefixed 0x00, interior nodes 0x01. */
public final class Rfc9162 {

  public static final int HASH_SIZE = 32;

  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;

  // A proof over a tile hashes a few hundred nodes; a digest per thread saves the provider lookup on each of them.
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Rfc9162::newSha256);

  private Rfc9162() {
  }

  /** SHA-256(0x00 || data). */
  public static byte[] leafHash(byte[] data) {
    Objects.requireNonNull(data, "data");
    MessageDigest sha = SHA256.get();
    sha.update(LEAF_PREFIX);
    return sha.digest(data);
  }

  /** SHA-256(0x01 || left || right). */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    // Checked before the first update: a half-fed digest would stay with this thread.
    Objects.requireNonNull(left, "left");
    Objects.requireNonNull(right, "right");
    MessageDigest sha = SHA256.get();
    sha.update(NODE_PREFIX);
    sha.update(left);
    return sha.digest(right);
  }

  /** The root of the empty tree: SHA-256 of the empty string. */
  public static byte[] emptyRoot() {
    return SHA256.get().digest();
  }

  /** Plain SHA-256, for key ids and blob contents. */
  static byte[] sha256(byte[] data) {
    return SHA256.get().digest(data);
  }

  /** RFC 9162 §2.1.1's k: the largest power of two smaller than {@code n} (n > 1). */
  static long splitPoint(long n) {
    return Long.highestOneBit(n - 1);
  }

  /** MTH(D[from:to]) over leaf hashes already in hand (§2.1.1's recursion; the empty range is the empty root). */
  static byte[] rootOf(byte[][] leafHashes, int from, int to) {
    if (to == from) {
      return emptyRoot();
    }
    if (to - from == 1) {
      // A copy: the result may end up in a caller's proof, and the array is the leaf store's.
      return leafHashes[from].clone();
    }
    int k = (int) splitPoint(to - from);
    return nodeHash(rootOf(leafHashes, from, from + k), rootOf(leafHashes, from + k, to));
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
