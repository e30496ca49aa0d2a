package dev.harp.cache;

import dev.harp.spi.Exchange;
import io.netty.buffer.Unpooled;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.internal.buffer.BufferInternal;

import java.util.List;
import java.util.Set;

/**
 * Answers a client from a stored response: the whole of it, only its head for HEAD (RFC 9110 §9.3.2), a 304 when
 * the client's validators match (RFC 9111 §4.3.2), or one byte range of it (RFC 9110 §14). Adds {@code Age}
 * (RFC 9111 §5.1) and {@code Cache-Status}.
 */
final class Responder {

  /** RFC 9110 §15.4.5: what a 304 carries of the stored response. */
  private static final Set<String> NOT_MODIFIED_FIELDS = Set.of("cache-control", "content-location", "date", "etag",
      "expires", "vary");

  private Responder() {
  }

  /**
   * @param validated whether this use follows a successful validation (fields named by no-cache="..." may then go
   *                  out, RFC 9111 §5.2.2.4)
   */
  static void serve(Exchange ex, StoredResponse r, long ageMillis, CacheStatus status, boolean validated) {
    MultiMap in = ex.headers();
    HttpMethod method = ex.method();
    if (r.status() == 200 && isConditional(in) && notModified(in, r)) {
      ex.respond(304, notModifiedHeaders(r, ageMillis, status), null);
      return;
    }
    MultiMap headers = headers(r, ageMillis, status, validated);
    byte[] body = r.body();
    if (method == HttpMethod.HEAD) {
      headers.set("Content-Length", Integer.toString(body.length));
      ex.respond(r.status(), headers, null);
      return;
    }
    String range = in.get("range");
    if (range != null && r.status() == 200 && method == HttpMethod.GET) {
      String ifRange = in.get("if-range");
      ByteRange br = ifRange != null && !Validators.ifRangeHolds(ifRange, r) ? ByteRange.WHOLE
          : ByteRange.parse(range, body.length);
      if (br instanceof ByteRange.Slice slice) {
        headers.set("Content-Range", "bytes " + slice.first() + "-" + slice.last() + "/" + body.length);
        ex.respond(206, headers, wrap(body, (int) slice.first(), (int) slice.length()));
        return;
      }
      if (br instanceof ByteRange.Unsatisfiable) {
        headers.set("Content-Range", "bytes */" + body.length);
        ex.respond(416, headers, null);
        return;
      }
    }
    ex.respond(r.status(), headers, wrap(body, 0, body.length));
  }

  static boolean isConditional(MultiMap in) {
    return in.contains("if-none-match") || in.contains("if-modified-since");
  }

  /** RFC 9110 §13.2.2: If-None-Match decides when present; If-Modified-Since only without it. */
  static boolean notModified(MultiMap in, StoredResponse r) {
    List<String> inm = in.getAll("if-none-match");
    if (!inm.isEmpty()) {
      return Validators.noneMatchHits(inm, r.etag());
    }
    String ims = in.get("if-modified-since");
    return ims != null && Validators.notModifiedSince(ims, r);
  }

  private static MultiMap headers(StoredResponse r, long ageMillis, CacheStatus status, boolean validated) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    String upstreamStatus = null;
    List<String> hidden = validated ? List.of() : r.noCacheFields();
    for (HeaderField h : r.headers()) {
      String name = h.name();
      if (name.equalsIgnoreCase("cache-status")) {
        upstreamStatus = upstreamStatus == null ? h.value() : upstreamStatus + ", " + h.value();
      } else if (hidden.isEmpty() || !hidden.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        out.add(name, h.value());
      }
    }
    out.set("Age", Long.toString(ageMillis / 1000));
    out.set("Cache-Status", status.after(upstreamStatus));
    return out;
  }

  private static MultiMap notModifiedHeaders(StoredResponse r, long ageMillis, CacheStatus status) {
    MultiMap out = MultiMap.caseInsensitiveMultiMap();
    for (HeaderField h : r.headers()) {
      String lower = h.name().toLowerCase(java.util.Locale.ROOT);
      // Last-Modified only helps a cache downstream update itself when there is no ETag (§15.4.5).
      if (NOT_MODIFIED_FIELDS.contains(lower) || (lower.equals("last-modified") && r.etag() == null)) {
        out.add(h.name(), h.value());
      }
    }
    out.set("Age", Long.toString(ageMillis / 1000));
    out.set("Cache-Status", status.toString());
    return out;
  }

  /** The stored bytes go out as they are: wrapped, not copied (the array is never written after storing). */
  private static Buffer wrap(byte[] body, int offset, int length) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(body, offset, length));
  }
}
