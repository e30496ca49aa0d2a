package dev.harp.audit;

import dev.harp.audit.store.AuditRecord;
import dev.harp.capture.CaptureFilterFactory;
import dev.harp.capture.Redactor;
import dev.harp.capture.Utf8Text;
import dev.harp.config.HarpConfig;
import dev.harp.config.ProxyConfig;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The dashboard's redaction rules, applied to a record before it is encoded, hashed and stored (on the writer
 * thread): each proxy's {@code capture:} block (named headers, JSON and form fields, the query string read as a
 * form) plus credentials found in the heads, scrubbed wherever they reappear. What is stored and signed is the
 * redacted record: a secret never reaches the disk. Binary bodies are kept as they are (secrets in binary are not
 * looked for, as on the dashboard).
 */
final class RecordRedaction implements UnaryOperator<AuditRecord> {

  private final Map<String, Redactor.Rules> rules = new HashMap<>();
  private final Redactor.Rules defaults = Redactor.Rules.of(dev.harp.capture.CaptureSettings.DEFAULT);

  RecordRedaction(HarpConfig config) {
    for (ProxyConfig p : config.proxies()) {
      rules.put(p.name(), Redactor.Rules.of(CaptureFilterFactory.settings(p)));
    }
  }

  @Override
  public AuditRecord apply(AuditRecord r) {
    Redactor redactor = new Redactor(rules.getOrDefault(r.proxy(), defaults), r.requestHeaders(),
        r.responseHeaders(), null);
    return new AuditRecord(r.startedAt(), r.node(), r.proxy(), r.requestId(), r.method(), r.path(),
        r.query() == null ? null : redactor.text(r.query()), r.client(), r.httpVersion(), r.status(), r.failure(),
        r.upstream(), r.durationMicros(), r.bytesOut(), redactor.headerPairs(r.requestHeaders()),
        redactor.headerPairs(r.responseHeaders()), body(r.requestBody(), redactor),
        body(r.responseBody(), redactor));
  }

  private static AuditRecord.BodyCapture body(AuditRecord.BodyCapture b, Redactor redactor) {
    if (b == null || b.kept().length == 0) {
      return b;
    }
    String text = Utf8Text.decode(b.kept(), b.truncated());
    if (text == null) {
      return b;
    }
    String redacted = redactor.text(text);
    return redacted.equals(text) ? b
        : new AuditRecord.BodyCapture(redacted.getBytes(StandardCharsets.UTF_8), b.size(), b.truncated());
  }
}
