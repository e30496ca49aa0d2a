package dev.harp.audit.store;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Captured body bytes as text: what the full-text index reads and what a detail view previews. */
final class BodyText {

  static final int HEX_PREVIEW_BYTES = 64;

  private BodyText() {
  }

  /**
   * The bytes as UTF-8 text, or null when they are not. A truncated capture may end inside a multi-byte character;
   * that cut character is dropped instead of calling the body binary.
   */
  static String utf8(byte[] bytes, boolean truncated) {
    int len = bytes.length;
    if (truncated) {
      int back = 0;
      while (back < 3 && len - back > 0 && (bytes[len - back - 1] & 0xC0) == 0x80) {
        back++; // continuation bytes
      }
      if (len - back > 0 && (bytes[len - back - 1] & 0xC0) == 0xC0
          && back + 1 < sequenceLength(bytes[len - back - 1])) {
        len = len - back - 1; // the lead byte of the cut character, and what followed it
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, len)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static int sequenceLength(byte lead) {
    int b = lead & 0xFF;
    return b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
  }

  /** Lower-case hex of the first {@value #HEX_PREVIEW_BYTES} bytes. */
  static String hexPreview(byte[] bytes) {
    return HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, HEX_PREVIEW_BYTES));
  }
}
