package dev.harp.audit.store;

import java.util.Arrays;

/**
 * The latest checkpoint of another node's log that this node cosigned: the witness's memory of that log, so it never
 * cosigns a smaller or inconsistent one later.
 *
 * @param origin  the log's origin line
 * @param note    the checkpoint note as cosigned
 * @param savedAt epoch milliseconds of the save
 */
public record Witnessed(String origin, long size, byte[] root, String note, long savedAt) {

  public Witnessed {
    root = root.clone();
  }

  @Override
  public byte[] root() {
    return root.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Witnessed w && w.origin.equals(origin) && w.size == size && Arrays.equals(w.root, root)
        && w.note.equals(note) && w.savedAt == savedAt;
  }

  @Override
  public int hashCode() {
    return origin.hashCode() * 31 + Long.hashCode(size);
  }
}
