package dev.harp.dashboard;

import dev.harp.capture.CaptureSettings;
import dev.harp.capture.Redactor;
import dev.harp.dashboard.ExchangeCapture.Captured;
import dev.harp.capture.PreviewTap.BodyPreview;
import dev.harp.engine.CompletedExchange;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The detail view's JSON for one transaction: timing, heads and body previews, all redacted. Built on the observers'
 * loop at flush time. Query strings are reduced to their parameter names: they often carry secrets, and the traffic
 * events leave them out for the same reason.
 */
final class TransactionDetail {

  private TransactionDetail() {
  }

  static JsonObject build(CompletedExchange done, JsonObject event, Captured c, Redactor.Rules rules) {
    CaptureSettings settings = rules.settings();
    JsonObject detail = new JsonObject()
        .put("client", done.client())
        .put("timing", new JsonObject()
            .put("startedAt", done.startEpochMillis())
            .put("totalMs", event.getValue("durationMs"))
            .put("upstreamMs", done.upstreamNanos() < 0 ? null : millis(done.upstreamNanos())))
        .put("capture", new JsonObject().put("bodyPreview", settings.bodyPreview())
            .put("redactedHeaders", new JsonArray(settings.redactHeaders().stream().sorted().toList()))
            .put("heads", c != null));
    if (c == null) {
      return detail;
    }
    Redactor redactor = new Redactor(rules, c.requestHeaders(), c.responseHeaders(), c.secretValues());
    detail.put("httpVersion", c.httpVersion());
    if (c.query() != null && !c.query().isEmpty()) {
      detail.put("queryParams", new JsonArray(queryNames(c.query()).stream().map(redactor::scrub).toList()));
    }
    detail.put("request", new JsonObject()
        .put("headers", redactor.headers(c.requestHeaders()))
        .put("body", body(c.requestBody(), contentType(c.requestHeaders()), redactor)));
    detail.put("response", new JsonObject()
        .put("headers", redactor.headers(c.responseHeaders()))
        .put("body", body(c.responseBody(), contentType(c.responseHeaders()), redactor)));
    return detail;
  }

  private static JsonObject body(BodyPreview preview, String contentType, Redactor redactor) {
    if (preview == null) {
      return null;
    }
    JsonObject out = new JsonObject().put("size", preview.total()).put("kept", preview.kept())
        .put("truncated", preview.truncated());
    if (preview.kept() == 0) {
      return out;
    }
    String text = decodeText(preview.bytes(), preview.kept(), preview.truncated());
    if (text == null) {
      // Binary: a hex dump of the start is enough to recognise a format; secrets in binary are not looked for.
      StringBuilder hex = new StringBuilder();
      for (int i = 0; i < Math.min(preview.kept(), 64); i++) {
        hex.append(String.format("%02x", preview.bytes()[i])).append(i % 16 == 15 ? "\n" : " ");
      }
      return out.put("encoding", "hex").put("preview", hex.toString().trim());
    }
    return out.put("encoding", "text").put("contentType", contentType).put("preview", redactor.text(text));
  }

  /** UTF-8 text, or null for binary; a multi-byte character cut by the cap is dropped, not reported as binary. */
  private static String decodeText(byte[] bytes, int kept, boolean truncated) {
    int len = kept;
    if (truncated) {
      while (len > 0 && (bytes[len - 1] & 0xC0) == 0x80) {
        len--; // continuation bytes of a cut character
      }
      if (len > 0 && (bytes[len - 1] & 0x80) != 0) {
        len--; // its lead byte
      }
    }
    try {
      String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, len)).toString();
      for (int i = 0; i < s.length(); i++) {
        char ch = s.charAt(i);
        if (ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t') {
          return null;
        }
      }
      return s;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String contentType(String[] headers) {
    if (headers == null) {
      return null;
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      if (headers[i].equalsIgnoreCase("content-type")) {
        return headers[i + 1];
      }
    }
    return null;
  }

  private static Set<String> queryNames(String query) {
    Set<String> names = new LinkedHashSet<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (!name.isEmpty()) {
        names.add(name.length() > 64 ? name.substring(0, 64) + "…" : name);
      }
    }
    return names;
  }

  static String statusClass(int status) {
    return status <= 0 ? "none" : (status / 100) + "xx";
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1_000.0) / 1_000.0;
  }

  static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }
}
