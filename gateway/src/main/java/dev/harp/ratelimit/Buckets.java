package dev.harp.ratelimit;

/**
 * Which map entry holds a key: {@code <policy id>#<n>} with n = the key's hash modulo {@link #COUNT}. Few buckets
 * means few cluster calls (at most one per bucket in flight per event loop, however many keys wait); enough buckets
 * spread a policy over several partitions and members.
 */
public final class Buckets {

  public static final int COUNT = 8;

  private Buckets() {
  }

  public static String of(String policyId, String key) {
    return policyId + "#" + Math.floorMod(key.hashCode(), COUNT);
  }

  /** Keys per bucket so that a policy holds about {@code maxKeys} keys in all. */
  static int capacity(long maxKeys) {
    return (int) Math.min(Integer.MAX_VALUE, (maxKeys + COUNT - 1) / COUNT);
  }
}
