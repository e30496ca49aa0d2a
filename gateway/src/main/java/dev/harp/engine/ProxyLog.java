package dev.harp.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Log lines about exchanges; each carries the request id and proxy as structured key-values. */
final class ProxyLog {

  private static final Logger LOG = LoggerFactory.getLogger("harp.proxy");

  private ProxyLog() {
  }

  static void failure(ProxyExchange ex, FailureKind failure, String detail, Throwable cause) {
    var event = failure.status() >= 500 ? LOG.atWarn() : LOG.atInfo();
    event.addKeyValue("requestId", ex.requestId())
        .addKeyValue("proxy", ex.proxyName())
        .addKeyValue("failure", failure.slug())
        .addKeyValue("status", failure.status())
        .log("{} {} failed: {}{}", ex.request().method(), ex.request().path(), detail,
            cause == null ? "" : " (" + cause + ")");
  }
}
