package dev.harp.auth;

import dev.harp.secrets.KeyHash;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The credentials of one request that forward auth passes to the auth endpoint: only the configured cookies and
 * headers, in config order. Their hash, never the values, keys the cluster-wide decision cache.
 */
record SessionCredentials(List<Map.Entry<String, String>> cookies, List<Map.Entry<String, String>> headers) {

  static SessionCredentials from(MultiMap requestHeaders, AuthConfig.Forward forward) {
    List<Map.Entry<String, String>> cookies = new ArrayList<>(forward.cookies().size());
    if (!forward.cookies().isEmpty()) {
      List<String> cookieFields = requestHeaders.getAll("cookie");
      if (!cookieFields.isEmpty()) {
        List<Cookie> sent = ServerCookieDecoder.LAX.decodeAll(String.join("; ", cookieFields));
        for (String name : forward.cookies()) {
          for (Cookie c : sent) {
            if (c.name().equals(name) && !c.value().isEmpty()) {
              cookies.add(Map.entry(name, c.value()));
              break;
            }
          }
        }
      }
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>(forward.headers().size());
    for (String name : forward.headers()) {
      String value = requestHeaders.get(name);
      if (value != null && !value.isBlank()) {
        headers.add(Map.entry(name, value));
      }
    }
    return new SessionCredentials(List.copyOf(cookies), List.copyOf(headers));
  }

  /** From a logout request's {@code {"cookies": {...}, "headers": {...}}}, restricted to what the proxy uses. */
  static SessionCredentials fromJson(JsonObject body, AuthConfig.Forward forward) {
    JsonObject cookieJson = body.getJsonObject("cookies", new JsonObject());
    JsonObject headerJson = body.getJsonObject("headers", new JsonObject());
    List<Map.Entry<String, String>> cookies = new ArrayList<>();
    for (String name : forward.cookies()) {
      Object v = cookieJson.getValue(name);
      if (v instanceof String s && !s.isEmpty()) {
        cookies.add(Map.entry(name, s));
      }
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (String name : forward.headers()) {
      for (String given : headerJson.fieldNames()) {
        if (given.equalsIgnoreCase(name) && headerJson.getValue(given) instanceof String s && !s.isBlank()) {
          headers.add(Map.entry(name, s));
          break;
        }
      }
    }
    return new SessionCredentials(cookies, headers);
  }

  boolean isEmpty() {
    return cookies.isEmpty() && headers.isEmpty();
  }

  /**
   * SHA-256 of the endpoint and every credential: decisions for one session are shared by every proxy using the same
   * endpoint, and the cache never holds a usable secret.
   */
  String cacheKey(AuthConfig.Forward forward) {
    StringBuilder sb = new StringBuilder(128).append(forward.post() ? "POST " : "GET ").append(forward.url().url());
    for (Map.Entry<String, String> c : cookies) {
      sb.append("\nc:").append(c.getKey()).append('=').append(c.getValue());
    }
    for (Map.Entry<String, String> h : headers) {
      sb.append("\nh:").append(h.getKey().toLowerCase()).append('=').append(h.getValue());
    }
    return KeyHash.sha256Hex(sb.toString());
  }

  /** The Cookie field sent to the auth endpoint: only the chosen cookies. */
  String cookieField() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> c : cookies) {
      sb.append(sb.isEmpty() ? "" : "; ").append(c.getKey()).append('=').append(c.getValue());
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "SessionCredentials[cookies=" + cookies.stream().map(Map.Entry::getKey).toList()
        + ", headers=" + headers.stream().map(Map.Entry::getKey).toList() + ", values=<redacted>]";
  }
}
