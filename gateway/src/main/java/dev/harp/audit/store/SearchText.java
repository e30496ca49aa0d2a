package dev.harp.audit.store;

import dev.harp.audit.store.AuditRecord.BodyCapture;

/**
 * What the full-text index holds for a record (after redaction): the path; the header lines of both sides; the text
 * bodies. Binary bodies are not indexed (their words would be noise).
 */
final class SearchText {

  private SearchText() {
  }

  static String headers(AuditRecord r) {
    StringBuilder out = new StringBuilder(512);
    lines(out, r.requestHeaders());
    lines(out, r.responseHeaders());
    return out.toString();
  }

  static String bodies(AuditRecord r) {
    String request = text(r.requestBody());
    String response = text(r.responseBody());
    if (request == null) {
      return response;
    }
    return response == null ? request : request + "\n" + response;
  }

  private static void lines(StringBuilder out, String[] headers) {
    if (headers == null) {
      return;
    }
    for (int i = 0; i < headers.length; i += 2) {
      out.append(headers[i]).append(": ").append(headers[i + 1]).append('\n');
    }
  }

  private static String text(BodyCapture body) {
    return body == null || body.kept().length == 0 ? null : BodyText.utf8(body.kept(), body.truncated());
  }
}
