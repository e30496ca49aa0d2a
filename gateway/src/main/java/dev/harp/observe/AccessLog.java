package dev.harp.observe;

import dev.harp.engine.CompletedExchange;
import dev.harp.engine.ExchangeListener;
import dev.harp.engine.RejectionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One access-log line per exchange (and per refused request) through logger {@code harp.access.<proxy>}, so each
 * proxy's log can be routed or silenced on its own. The facts travel as key-values: the readable format prints them
 * after the message, the JSON format (logback-json.xml) puts them in {@code kvpList}. The loggers write through an
 * async appender (logback*.xml) so a slow stdout never stalls an event loop.
 */
final class AccessLog implements ExchangeListener, RejectionListener {

  private final Logger log;

  AccessLog(String proxy) {
    this(LoggerFactory.getLogger("harp.access." + proxy));
  }

  AccessLog(Logger log) {
    this.log = log;
  }

  @Override
  public void onComplete(CompletedExchange e) {
    if (!log.isInfoEnabled()) {
      return;
    }
    double ms = TrafficEvent.millis(e.durationNanos());
    var line = log.atInfo()
        .addKeyValue("requestId", e.requestId())
        .addKeyValue("proxy", e.proxy())
        .addKeyValue("client", e.client())
        .addKeyValue("method", e.method())
        .addKeyValue("path", e.path())
        .addKeyValue("status", e.status())
        .addKeyValue("durationMs", ms)
        .addKeyValue("bytesIn", e.bytesIn())
        .addKeyValue("bytesOut", e.bytesOut());
    if (e.upstream() != null) {
      line = line.addKeyValue("upstream", e.upstream());
    }
    if (e.upstreamNanos() >= 0) {
      line = line.addKeyValue("upstreamMs", TrafficEvent.millis(e.upstreamNanos()));
    }
    if (e.failure() != null) {
      line = line.addKeyValue("failure", e.failure().slug());
    }
    if (e.upgrade()) {
      line = line.addKeyValue("upgrade", true);
    }
    line.log("{} {} {} {}ms", e.method(), e.path(), e.status(), ms);
  }

  @Override
  public void onRejected(String proxy, String reason, int status) {
    log.atInfo().addKeyValue("proxy", proxy).addKeyValue("rejected", reason).addKeyValue("status", status)
        .log("rejected {} {}", reason, status);
  }
}
