package dev.harp.audit.store;

import java.util.Base64;

/**
 * The three lines of a stored checkpoint note the store itself needs: origin (line 1), tree size (line 2) and root
 * hash (line 3, base64). Read here rather than through the signed-note parser: the store checks its own log against
 * what it signed, and signatures are not its concern.
 */
record CheckpointText(String origin, long size, byte[] root) {

  static CheckpointText parse(String note) {
    String[] lines = note.split("\n", 4);
    if (lines.length < 4) {
      throw new IllegalArgumentException("a checkpoint note needs origin, size and root lines");
    }
    long size;
    try {
      size = Long.parseLong(lines[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("checkpoint line 2 is not a tree size: " + lines[1]);
    }
    byte[] root;
    try {
      root = Base64.getDecoder().decode(lines[2]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("checkpoint line 3 is not base64: " + lines[2]);
    }
    if (lines[0].isEmpty() || size < 0 || root.length != 32) {
      throw new IllegalArgumentException("not a checkpoint for a SHA-256 log: origin '" + lines[0] + "', size "
          + size + ", root of " + root.length + " bytes");
    }
    return new CheckpointText(lines[0], size, root);
  }
}
