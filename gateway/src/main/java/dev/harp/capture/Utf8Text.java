package dev.harp.capture;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Captured body bytes as text, for redaction, search and previews. */
public final class Utf8Text {

  private Utf8Text() {
  }

  /**
   * The bytes as UTF-8 text, or null when they are not. A truncated capture may end inside a multi-byte character;
   * that cut character is dropped instead of calling the body binary.
   */
  public static String decode(byte[] bytes, boolean truncated) {
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
}
