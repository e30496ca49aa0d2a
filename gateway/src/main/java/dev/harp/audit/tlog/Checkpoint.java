package dev.harp.audit.tlog;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * C2SP {@code tlog-checkpoint}: origin line, decimal tree size, base64 root hash, then optional extension lines, each
 * ending in a newline. {@link #body()} is the exact text that gets signed.
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {

  public Checkpoint {
    Objects.requireNonNull(origin, "origin");
    if (origin.isEmpty() || origin.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("the origin is one non-empty line");
    }
    if (size < 0) {
      throw new IllegalArgumentException("a tree size is not negative: " + size);
    }
    if (rootHash.length != Rfc9162.HASH_SIZE) {
      throw new IllegalArgumentException("a root hash is " + Rfc9162.HASH_SIZE + " bytes, not " + rootHash.length);
    }
    rootHash = rootHash.clone();
    extensions = List.copyOf(extensions);
    for (String extension : extensions) {
      if (extension.isEmpty() || extension.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("an extension is one non-empty line");
      }
    }
  }

  public String body() {
    StringBuilder body = new StringBuilder()
        .append(origin).append('\n')
        .append(size).append('\n')
        .append(Base64.getEncoder().encodeToString(rootHash)).append('\n');
    extensions.forEach(extension -> body.append(extension).append('\n'));
    return body.toString();
  }

  /** @throws ProofException when the text is not a well-formed checkpoint (says which line) */
  public static Checkpoint parse(String body) throws ProofException {
    if (!body.endsWith("\n")) {
      throw new ProofException("checkpoint does not end in a newline");
    }
    List<String> lines = List.of(body.substring(0, body.length() - 1).split("\n", -1));
    if (lines.size() < 3) {
      throw new ProofException("checkpoint has " + lines.size() + " lines, fewer than origin, size and root hash");
    }
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isEmpty()) {
        throw new ProofException("checkpoint line " + (i + 1) + " is empty");
      }
    }
    return new Checkpoint(lines.get(0), parseSize(lines.get(1)), parseRoot(lines.get(2)),
        lines.subList(3, lines.size()));
  }

  private static long parseSize(String line) throws ProofException {
    // Decimal with no leading zeroes: one spelling per size, so the signed text is the only one there is.
    boolean digits = line.chars().allMatch(c -> c >= '0' && c <= '9');
    if (!digits || (line.length() > 1 && line.charAt(0) == '0')) {
      throw new ProofException("checkpoint line 2: '" + line + "' is not a tree size");
    }
    try {
      return Long.parseLong(line);
    } catch (NumberFormatException e) {
      throw new ProofException("checkpoint line 2: tree size " + line + " is too large");
    }
  }

  private static byte[] parseRoot(String line) throws ProofException {
    byte[] root;
    try {
      root = Base64.getDecoder().decode(line);
    } catch (IllegalArgumentException e) {
      throw new ProofException("checkpoint line 3: the root hash is not base64");
    }
    // Java's decoder forgives missing padding and stray low bits; the signed text must be the canonical spelling.
    if (root.length != Rfc9162.HASH_SIZE || !Base64.getEncoder().encodeToString(root).equals(line)) {
      throw new ProofException("checkpoint line 3: the root hash is not the base64 of " + Rfc9162.HASH_SIZE
          + " bytes");
    }
    return root;
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint other && size == other.size && origin.equals(other.origin)
        && Arrays.equals(rootHash, other.rootHash) && extensions.equals(other.extensions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(origin, size, Arrays.hashCode(rootHash), extensions);
  }

  @Override
  public String toString() {
    return "Checkpoint[" + origin + " " + size + " " + Base64.getEncoder().encodeToString(rootHash)
        + (extensions.isEmpty() ? "" : " " + extensions) + "]";
  }
}
