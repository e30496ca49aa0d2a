package dev.harp.engine.guard;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessageDecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * The guard's account of one request head while Netty parses it: fields counted as their names arrive, the bytes
 * consumed after the request line, and the checks that need the whole head. Reset for every head.
 */
final class HeadAccount {

  private final int maxHeaderCount;
  private final long maxBodySize;
  private int fields;
  private int contentLengths;
  private int transferEncodings;
  private long headerBytes;

  HeadAccount(int maxHeaderCount, long maxBodySize) {
    this.maxHeaderCount = maxHeaderCount;
    this.maxBodySize = maxBodySize;
  }

  void reset() {
    fields = 0;
    contentLengths = 0;
    transferEncodings = 0;
    headerBytes = 0;
  }

  /** Bytes of header lines (with their line breaks) Netty consumed. */
  void consumed(long bytes) {
    headerBytes += bytes;
  }

  /**
   * One header field (or trailer field, {@code inHead} false) is starting. Refuses as early as possible: before a
   * huge count of fields is stored, and whatever the order of Content-Length and Transfer-Encoding.
   */
  void field(AsciiString name, boolean inHead) {
    if (++fields > maxHeaderCount) {
      throw new RequestRejected(Violation.TOO_MANY_HEADERS, "more than " + maxHeaderCount + " header fields");
    }
    if (!inHead) {
      return; // Netty ignores framing fields in trailers
    }
    if (HeaderRules.isContentLength(name) && ++contentLengths > 1) {
      throw new RequestRejected(Violation.DUPLICATE_CONTENT_LENGTH, "more than one Content-Length field");
    }
    if (HeaderRules.isTransferEncoding(name) && ++transferEncodings > 1) {
      throw new RequestRejected(Violation.DUPLICATE_TRANSFER_ENCODING, "more than one Transfer-Encoding field");
    }
    if (contentLengths > 0 && transferEncodings > 0) {
      throw new RequestRejected(Violation.CONTENT_LENGTH_AND_TRANSFER_ENCODING,
          "both Content-Length and Transfer-Encoding");
    }
  }

  /** The checks that need the whole head: folding, the one framing field left, the announced body size. */
  RequestRejected complete(HttpRequest request, HttpMessageDecoderResult result) {
    // Netty merges an obs-fold line into the previous value without a trace, but it consumed two more line-break
    // bytes than there are fields: every line after the request line ends in CRLF, and the last one is empty.
    long lineBreakBytes = headerBytes - result.headerSize();
    if (lineBreakBytes != 2L * (fields + 1)) {
      return new RequestRejected(lineBreakBytes % 2 == 0 ? Violation.OBSOLETE_LINE_FOLDING : Violation.BARE_LF,
          "header field value continued on a new line (obs-fold)");
    }
    if (transferEncodings == 1) {
      if (request.protocolVersion() == HttpVersion.HTTP_1_0) {
        return new RequestRejected(Violation.INVALID_TRANSFER_ENCODING, "Transfer-Encoding in an HTTP/1.0 request");
      }
      if (!"chunked".equalsIgnoreCase(request.headers().get(HttpHeaderNames.TRANSFER_ENCODING))) {
        return new RequestRejected(Violation.INVALID_TRANSFER_ENCODING,
            "Transfer-Encoding must be exactly 'chunked'");
      }
    }
    if (contentLengths == 1 && maxBodySize > 0) {
      long length = Long.parseLong(request.headers().get(HttpHeaderNames.CONTENT_LENGTH)); // digits: HeaderRules
      if (length > maxBodySize) {
        return new RequestRejected(Violation.BODY_TOO_LARGE,
            "announced body of " + length + " bytes exceeds " + maxBodySize);
      }
    }
    return null;
  }
}
