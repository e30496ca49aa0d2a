package dev.harp.engine;

import dev.harp.http.HopByHop;
import dev.harp.net.IpLiterals;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import java.util.List;
import java.util.Map;

/** Builds the header set sent upstream and the one sent back to the client. */
final class ForwardedHeaders {

  static final String VIA = "1.1 harp";

  private ForwardedHeaders() {
  }

  /**
   * Copies end-to-end request headers to {@code out} and adds the proxy's own: Host (the endpoint's unless
   * preserved), X-Forwarded-For/Proto/Host, Forwarded, Via and X-Request-Id.
   */
  static void toUpstream(HttpServerRequest request, MultiMap out, UpstreamEndpoint endpoint, boolean preserveHost,
                         String requestId) {
    MultiMap in = request.headers();
    List<String> connectionNamed = HopByHop.namedByConnection(in);
    String xff = null;
    String forwarded = null;
    String via = null;
    for (Map.Entry<String, String> h : in) {
      String name = h.getKey();
      if (HopByHop.isHopByHop(name) || (!connectionNamed.isEmpty() && connectionNamed.contains(name.toLowerCase()))) {
        continue;
      }
      switch (name.length()) {
        case 4 -> {
          if (name.equalsIgnoreCase("host")) {
            continue;
          }
        }
        case 3 -> {
          if (name.equalsIgnoreCase("via")) {
            via = via == null ? h.getValue() : via + ", " + h.getValue();
            continue;
          }
        }
        case 9 -> {
          if (name.equalsIgnoreCase("forwarded")) {
            forwarded = forwarded == null ? h.getValue() : forwarded + ", " + h.getValue();
            continue;
          }
        }
        case 12 -> {
          if (name.equalsIgnoreCase("x-request-id")) {
            continue;
          }
        }
        case 15, 16, 17 -> {
          if (name.equalsIgnoreCase("x-forwarded-for")) {
            xff = xff == null ? h.getValue() : xff + ", " + h.getValue();
            continue;
          }
          // The client's own X-Forwarded-Proto/Host are not trusted: this hop states what it saw.
          if (name.equalsIgnoreCase("x-forwarded-proto") || name.equalsIgnoreCase("x-forwarded-host")) {
            continue;
          }
        }
        default -> {
        }
      }
      out.add(name, h.getValue());
    }
    String clientHost = request.headers().get("host");
    String clientIp = clientIp(request.remoteAddress());
    String proto = request.isSSL() ? "https" : "http";
    out.set("Host", preserveHost && clientHost != null ? clientHost : endpoint.authority());
    out.set("X-Forwarded-For", xff == null ? clientIp : xff + ", " + clientIp);
    out.set("X-Forwarded-Proto", proto);
    if (clientHost != null) {
      out.set("X-Forwarded-Host", clientHost);
    }
    String element = "for=" + forwardedNode(clientIp) + ";proto=" + proto
        + (clientHost == null ? "" : ";host=" + quoteIfNeeded(clientHost));
    out.set("Forwarded", forwarded == null ? element : forwarded + ", " + element);
    out.set("Via", via == null ? VIA : via + ", " + VIA);
    out.set(RequestIds.HEADER, requestId);
  }

  /** Copies end-to-end response headers and adds Via and X-Request-Id. */
  static void toClient(MultiMap upstream, MultiMap out, String requestId) {
    List<String> connectionNamed = HopByHop.namedByConnection(upstream);
    String via = null;
    for (Map.Entry<String, String> h : upstream) {
      String name = h.getKey();
      if (HopByHop.isHopByHop(name) || (!connectionNamed.isEmpty() && connectionNamed.contains(name.toLowerCase()))) {
        continue;
      }
      if (name.length() == 3 && name.equalsIgnoreCase("via")) {
        via = via == null ? h.getValue() : via + ", " + h.getValue();
        continue;
      }
      if (name.length() == 12 && name.equalsIgnoreCase("x-request-id")) {
        continue;
      }
      out.add(name, h.getValue());
    }
    out.set("Via", via == null ? VIA : via + ", " + VIA);
    out.set(RequestIds.HEADER, requestId);
  }

  static String clientIp(SocketAddress remote) {
    if (remote == null) {
      return "unknown";
    }
    String host = remote.hostAddress();
    return host == null ? remote.host() : IpLiterals.ofSocket(host);
  }

  /** RFC 7239: IPv6 addresses are bracketed and quoted. */
  private static String forwardedNode(String ip) {
    return ip.indexOf(':') >= 0 ? "\"[" + ip + "]\"" : ip;
  }

  private static String quoteIfNeeded(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_')) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
      }
    }
    return value;
  }
}
