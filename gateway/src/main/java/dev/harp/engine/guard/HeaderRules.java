package dev.harp.engine.guard;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;
import io.vertx.core.http.impl.HttpUtils;

import java.util.function.BiConsumer;

/**
 * Validates every header field as the decoder stores it, and names what was wrong. Always on: Vert.x skips its own
 * validation under {@code -Dvertx.disableHttpHeadersValidation=true} (a tempting benchmark flag), which would let
 * CR, LF and NUL through to the upstream.
 */
final class HeaderRules implements BiConsumer<CharSequence, CharSequence> {

  static final HeaderRules INSTANCE = new HeaderRules();

  private HeaderRules() {
  }

  @Override
  public void accept(CharSequence name, CharSequence value) {
    if (name.length() == 0) {
      throw new RequestRejected(Violation.INVALID_HEADER_NAME, "empty header name");
    }
    try {
      // Token characters only: this also refuses "Name :" (the space stays in the name for requests).
      HttpUtils.validateHeaderName(name);
    } catch (IllegalArgumentException e) {
      throw new RequestRejected(Violation.INVALID_HEADER_NAME, e.getMessage());
    }
    if (value == null) {
      return;
    }
    try {
      // No control characters but HTAB: refuses NUL and a bare CR inside a value.
      HttpUtils.validateHeaderValue(value);
    } catch (IllegalArgumentException e) {
      throw new RequestRejected(Violation.INVALID_HEADER_VALUE, e.getMessage());
    }
    if (isContentLength(name) && !isDigits(value)) {
      // Netty would also refuse these, but only after merging duplicates; here the reason stays precise.
      throw new RequestRejected(Violation.INVALID_CONTENT_LENGTH, "Content-Length '" + value + "' is not 1*DIGIT");
    }
  }

  static boolean isContentLength(CharSequence name) {
    return name.length() == 14 && AsciiString.contentEqualsIgnoreCase(HttpHeaderNames.CONTENT_LENGTH, name);
  }

  static boolean isTransferEncoding(CharSequence name) {
    return name.length() == 17 && AsciiString.contentEqualsIgnoreCase(HttpHeaderNames.TRANSFER_ENCODING, name);
  }

  private static boolean isDigits(CharSequence value) {
    if (value.isEmpty() || value.length() > 18) {
      return false; // 19 digits may overflow a long
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
