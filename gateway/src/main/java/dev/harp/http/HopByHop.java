package dev.harp.http;

import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Hop-by-hop header fields (RFC 9110 §7.6.1): meaningful for one connection only, never forwarded. Also any field
 * the sender lists in its {@code Connection} header.
 */
public final class HopByHop {

  private HopByHop() {
  }

  /** Checked by length first so the common end-to-end headers cost one switch and no allocation. */
  public static boolean isHopByHop(String name) {
    return switch (name.length()) {
      case 2 -> name.equalsIgnoreCase("te");
      case 7 -> name.equalsIgnoreCase("trailer") || name.equalsIgnoreCase("upgrade");
      case 10 -> name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
      case 13 -> name.equalsIgnoreCase("http2-settings");
      case 16 -> name.equalsIgnoreCase("proxy-connection");
      case 17 -> name.equalsIgnoreCase("transfer-encoding");
      case 18 -> name.equalsIgnoreCase("proxy-authenticate");
      case 19 -> name.equalsIgnoreCase("proxy-authorization");
      default -> false;
    };
  }

  /** Extra fields named by {@code Connection} (besides close/keep-alive/upgrade), lower-cased; empty if none. */
  public static List<String> namedByConnection(MultiMap headers) {
    List<String> all = headers.getAll("connection");
    if (all.isEmpty()) {
      return List.of();
    }
    List<String> named = new ArrayList<>(2);
    for (String value : all) {
      for (String token : value.split(",")) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty() && !t.equals("close") && !t.equals("keep-alive") && !t.equals("upgrade")) {
          named.add(t);
        }
      }
    }
    return named;
  }
}
