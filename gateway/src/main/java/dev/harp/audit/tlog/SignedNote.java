package dev.harp.audit.tlog;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * C2SP {@code signed-note}: the text (ending in a newline), a blank line, then one or more signature lines. Unknown
 * signatures are kept (a verifier ignores what it has no key for).
 */
public record SignedNote(String text, List<NoteSignature> signatures) {

  private static final String LINE_START = "\u2014 "; // em dash, space
  // The spec has verifiers cap the count (at no fewer than 16) so a note cannot make them verify without end.
  static final int MAX_SIGNATURES = 100;

  public SignedNote {
    Objects.requireNonNull(text, "text");
    if (!text.endsWith("\n")) {
      throw new IllegalArgumentException("a note's text ends in a newline");
    }
    signatures = List.copyOf(signatures);
  }

  public String encode() {
    if (signatures.isEmpty()) {
      throw new IllegalStateException("a signed note has at least one signature");
    }
    StringBuilder out = new StringBuilder(text).append('\n');
    for (NoteSignature sig : signatures) {
      byte[] bytes = sig.signature();
      byte[] idAndSignature = ByteBuffer.allocate(4 + bytes.length).putInt(sig.keyId()).put(bytes).array();
      out.append(LINE_START).append(sig.name()).append(' ')
          .append(Base64.getEncoder().encodeToString(idAndSignature)).append('\n');
    }
    return out.toString();
  }

  /** @throws ProofException when malformed (says why) */
  public static SignedNote parse(String note) throws ProofException {
    checkCharacters(note);
    // The text may hold blank lines itself; the signatures start after the last one.
    int blank = note.lastIndexOf("\n\n");
    if (blank < 0) {
      throw new ProofException("note has no blank line before its signatures");
    }
    String block = note.substring(blank + 2);
    if (block.isEmpty()) {
      throw new ProofException("note has no signature lines");
    }
    if (!block.endsWith("\n")) {
      throw new ProofException("note's last signature line does not end in a newline");
    }
    String[] lines = block.substring(0, block.length() - 1).split("\n", -1);
    if (lines.length > MAX_SIGNATURES) {
      throw new ProofException("note has " + lines.length + " signatures, more than the " + MAX_SIGNATURES
          + " accepted");
    }
    List<NoteSignature> signatures = new ArrayList<>(lines.length);
    for (int i = 0; i < lines.length; i++) {
      signatures.add(parseLine(lines[i], i + 1));
    }
    return new SignedNote(note.substring(0, blank + 1), signatures);
  }

  private static NoteSignature parseLine(String line, int number) throws ProofException {
    String what = "note signature line " + number;
    if (!line.startsWith(LINE_START)) {
      throw new ProofException(what + " does not start with an em dash (U+2014) and a space");
    }
    int space = line.indexOf(' ', LINE_START.length());
    if (space < 0) {
      throw new ProofException(what + " is not '\u2014 <name> <signature>'");
    }
    String name = line.substring(LINE_START.length(), space);
    NoteKey.checkName(name, what);
    byte[] decoded;
    try {
      decoded = Base64.getDecoder().decode(line.substring(space + 1));
    } catch (IllegalArgumentException e) {
      throw new ProofException(what + " (" + name + "): the signature is not base64");
    }
    if (decoded.length <= 4) {
      throw new ProofException(what + " (" + name + "): " + decoded.length
          + " bytes are too few for a key id and a signature");
    }
    ByteBuffer bytes = ByteBuffer.wrap(decoded);
    int keyId = bytes.getInt();
    byte[] signature = new byte[bytes.remaining()];
    bytes.get(signature);
    return new NoteSignature(name, keyId, signature);
  }

  /** Notes are UTF-8 with no control characters but newline: no stray CR or NUL can hide in what is signed. */
  private static void checkCharacters(String note) throws ProofException {
    for (int i = 0; i < note.length(); i++) {
      char c = note.charAt(i);
      if (c < 0x20 && c != '\n') {
        throw new ProofException("note has control character U+" + String.format("%04X", (int) c) + " at " + i);
      }
      if (Character.isSurrogate(c)) {
        boolean paired = Character.isHighSurrogate(c) && i + 1 < note.length()
            && Character.isLowSurrogate(note.charAt(i + 1));
        if (!paired) {
          throw new ProofException("note is not valid UTF-8: a lone surrogate at " + i);
        }
        i++;
      }
    }
  }
}
