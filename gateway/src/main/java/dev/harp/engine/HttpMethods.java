package dev.harp.engine;

import java.util.List;

/** Method facts the proxy and its features share. */
public final class HttpMethods {

  /** RFC 9110 §9.2.2: the upstream may see these twice without a different effect. */
  public static final List<String> IDEMPOTENT = List.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");

  private HttpMethods() {
  }

  public static boolean idempotent(String method) {
    return IDEMPOTENT.contains(method);
  }
}
