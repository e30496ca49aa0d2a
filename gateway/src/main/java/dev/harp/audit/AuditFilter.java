package dev.harp.audit;

import dev.harp.spi.Completion;
import dev.harp.spi.Exchange;
import dev.harp.spi.Filter;

/**
 * Hands every completed exchange of one proxy to the node's audit store. On the exchange's event loop it only copies
 * references (heads, body previews); redaction, encoding and hashing happen on the store's writer thread.
 */
final class AuditFilter implements Filter {

  private final AuditRecorder recorder;

  AuditFilter(AuditRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public void onComplete(Exchange exchange, Completion completion) {
    recorder.record(exchange, completion);
  }

  /** WebSocket upgrades are transactions too. */
  @Override
  public boolean handlesUpgrades() {
    return true;
  }
}
