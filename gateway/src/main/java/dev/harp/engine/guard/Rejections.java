package dev.harp.engine.guard;

import dev.harp.engine.ProxyRuntime;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Counts and logs one refused request: the metric (through the runtime's rejection listeners) and one log line. */
public final class Rejections {

  private static final Logger LOG = LoggerFactory.getLogger("harp.guard");
  private static final int MAX_DETAIL = 200;

  private Rejections() {
  }

  /**
   * @param status the status answered, or 0 when only the connection could be closed
   */
  public static void report(ProxyRuntime runtime, Violation violation, int status, SocketAddress remote,
                            String requestId, String detail) {
    LOG.atInfo()
        .addKeyValue("proxy", runtime.name())
        .addKeyValue("reason", violation.slug)
        .addKeyValue("status", status)
        .addKeyValue("remote", describe(remote))
        .addKeyValue("requestId", requestId)
        .log("request refused: {}", printable(detail));
    runtime.rejected(violation.slug, status);
  }

  /**
   * Details often quote the offending input (Vert.x's header validation quotes the whole value): cut it short and
   * replace controls, so a hostile client can neither forge log lines nor make them huge.
   */
  public static String printable(String detail) {
    if (detail == null) {
      return "";
    }
    int n = Math.min(detail.length(), MAX_DETAIL);
    StringBuilder b = new StringBuilder(n + 3);
    for (int i = 0; i < n; i++) {
      char c = detail.charAt(i);
      b.append(c >= 0x20 && c < 0x7F ? c : '?');
    }
    return detail.length() > MAX_DETAIL ? b.append("...").toString() : b.toString();
  }

  private static String describe(SocketAddress remote) {
    if (remote == null) {
      return "unknown";
    }
    String host = remote.hostAddress();
    return (host == null ? remote.host() : host) + ":" + remote.port();
  }
}
