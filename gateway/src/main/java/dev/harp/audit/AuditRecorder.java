package dev.harp.audit;

import dev.harp.audit.store.AuditRecord;
import dev.harp.audit.store.AuditStore;
import dev.harp.capture.CaptureFilter;
import dev.harp.capture.HeaderCopy;
import dev.harp.capture.PreviewTap;
import dev.harp.spi.Completion;
import dev.harp.spi.Exchange;

import java.util.Arrays;

/**
 * Turns one proxy's completed exchanges into {@link AuditRecord}s and offers them to the store. Never blocks: a full
 * queue sheds the record, and the store counts it.
 */
final class AuditRecorder {

  private final String node;
  private final String proxy;
  private final AuditStore store;

  AuditRecorder(String node, String proxy, AuditStore store) {
    this.node = node;
    this.proxy = proxy;
    this.store = store;
  }

  void record(Exchange ex, Completion done) {
    PreviewTap tap = ex.get(CaptureFilter.PREVIEW);
    long startedAt = System.currentTimeMillis() - done.durationNanos() / 1_000_000;
    store.offer(new AuditRecord(startedAt, node, proxy, ex.requestId(), ex.method().name(), ex.path(), ex.query(),
        ex.clientAddress(), null, done.status(), done.failure(), done.endpoint(), done.durationNanos() / 1_000,
        done.bytesOut(), HeaderCopy.of(ex.headers()), HeaderCopy.of(ex.responseHeaders()),
        tap == null ? null : body(tap.requestPreview()), tap == null ? null : body(tap.responsePreview())));
  }

  /** The preview's bytes are its own (the tap is done with them): only trim the array to what was kept. */
  private static AuditRecord.BodyCapture body(PreviewTap.BodyPreview p) {
    if (p == null) {
      return null;
    }
    byte[] bytes = p.bytes() == null ? new byte[0] : p.bytes();
    byte[] kept = bytes.length == p.kept() ? bytes : Arrays.copyOf(bytes, p.kept());
    return new AuditRecord.BodyCapture(kept, p.total(), p.truncated());
  }
}
