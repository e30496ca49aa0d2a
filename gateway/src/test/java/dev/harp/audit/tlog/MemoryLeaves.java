package dev.harp.audit.tlog;

import java.util.ArrayList;
import java.util.List;

/** A leaf store for tests: a list, with a count of the reads a MerkleLog makes and the widest of them. */
final class MemoryLeaves implements LeafHashes {

  private final List<byte[]> hashes = new ArrayList<>();
  private int reads;
  private long widestRead;

  /**
   * Stores the leaf and appends it to {@code log} under the store's own lock, as a store may: the log must not ask for
   * that lock while holding its own (a reader's proof once deadlocked against this).
   */
  synchronized void add(MerkleLog log, byte[] leafHash) {
    hashes.add(leafHash);
    log.append(leafHash);
  }

  synchronized List<byte[]> all() {
    return List.copyOf(hashes);
  }

  synchronized int reads() {
    return reads;
  }

  synchronized long widestRead() {
    return widestRead;
  }

  synchronized void resetCounts() {
    reads = 0;
    widestRead = 0;
  }

  @Override
  public synchronized byte[][] read(long from, long to) {
    if (from < 0 || to > hashes.size() || from > to) {
      throw new IllegalArgumentException("read [" + from + ", " + to + ") of " + hashes.size() + " leaves");
    }
    reads++;
    widestRead = Math.max(widestRead, to - from);
    return hashes.subList((int) from, (int) to).toArray(new byte[0][]);
  }
}
