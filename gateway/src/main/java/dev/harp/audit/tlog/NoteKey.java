package dev.harp.audit.tlog;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The shared shape of C2SP signed-note keys, {@code <name>+<hex keyId>+<base64(type || key material)>}: a verifier
 * key as is, a private key after its {@code PRIVATE+KEY+} prefix.
 */
record NoteKey(String name, int keyId, byte type, byte[] material) {

  /** @param what "verifier key" or "private key", for the messages */
  static NoteKey parse(String text, String what) throws ProofException {
    // The name has no '+' and the hex id none either, so the first two split the parts; base64 may contain '+'.
    int first = text.indexOf('+');
    int second = first < 0 ? -1 : text.indexOf('+', first + 1);
    if (second < 0) {
      throw new ProofException(what + " is not <name>+<key id>+<key>");
    }
    String name = text.substring(0, first);
    checkName(name, what);
    String hex = text.substring(first + 1, second);
    if (hex.length() != 8 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw new ProofException(what + " " + name + ": key id '" + hex + "' is not 8 hex digits");
    }
    byte[] typed;
    try {
      typed = Base64.getDecoder().decode(text.substring(second + 1));
    } catch (IllegalArgumentException e) {
      throw new ProofException(what + " " + name + ": the key is not base64");
    }
    if (typed.length < 2) {
      throw new ProofException(what + " " + name + ": the key is empty");
    }
    byte[] material = new byte[typed.length - 1];
    System.arraycopy(typed, 1, material, 0, material.length);
    return new NoteKey(name, HexFormat.fromHexDigits(hex), typed[0], material);
  }

  String encode() {
    byte[] typed = new byte[material.length + 1];
    typed[0] = type;
    System.arraycopy(material, 0, typed, 1, material.length);
    return name + "+" + hex(keyId) + "+" + Base64.getEncoder().encodeToString(typed);
  }

  /** signed-note: SHA-256(key name || 0x0A || signature type || public key)[:4], big-endian. */
  static int keyId(String name, byte type, byte[] publicKey) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    ByteBuffer input = ByteBuffer.allocate(nameBytes.length + 2 + publicKey.length);
    input.put(nameBytes).put((byte) '\n').put(type).put(publicKey);
    return ByteBuffer.wrap(Rfc9162.sha256(input.array())).getInt();
  }

  static String hex(int keyId) {
    return HexFormat.of().toHexDigits(keyId);
  }

  /** signed-note: key names are non-empty and contain neither Unicode spaces nor '+'. */
  static void checkName(String name, String what) throws ProofException {
    if (name.isEmpty()) {
      throw new ProofException(what + ": the key name is empty");
    }
    boolean bad = name.codePoints().anyMatch(c -> c == '+' || Character.isWhitespace(c) || Character.isSpaceChar(c)
        || Character.isISOControl(c));
    if (bad) {
      throw new ProofException(what + " '" + name + "': a key name has no spaces, '+' or control characters");
    }
  }
}
