package dev.harp.audit.store;

import dev.harp.capture.Utf8Text;

import java.util.HexFormat;

/** Captured body bytes as text: what the full-text index reads and what a detail view previews. */
final class BodyText {

  static final int HEX_PREVIEW_BYTES = 64;

  private BodyText() {
  }

  /** The bytes as UTF-8 text, or null when they are not (see {@link Utf8Text#decode}). */
  static String utf8(byte[] bytes, boolean truncated) {
    return Utf8Text.decode(bytes, truncated);
  }

  /** Lower-case hex of the first {@value #HEX_PREVIEW_BYTES} bytes. */
  static String hexPreview(byte[] bytes) {
    return HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, HEX_PREVIEW_BYTES));
  }
}
