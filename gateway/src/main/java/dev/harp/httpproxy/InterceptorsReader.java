package dev.harp.httpproxy;

import dev.harp.http.HeaderFields;
import dev.harp.spi.ConfigBlock;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyInterceptorBuilder;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a proxy's {@code http-proxy-interceptors:} block into one interceptor of vertx-http-proxy's builder, with
 * every problem at its key path. The builder applies query edits, then path edits (prefix removed, then added), then
 * header edits, whatever the order of the keys.
 */
final class InterceptorsReader {

  static final Set<String> KEYS = Set.of("removePathPrefix", "addPathPrefix", "setQueryParams", "removeQueryParams",
      "setRequestHeaders", "removeRequestHeaders", "setResponseHeaders", "removeResponseHeaders", "maxBodySize");
  /** Fields that frame the message: editing them would corrupt it. */

  /** The block's interceptor and the body bound it runs with. */
  record Config(ProxyInterceptor interceptor, long maxBodySize) {
  }

  private InterceptorsReader() {
  }

  static Config read(ConfigBlock block) {
    block.allowOnly(KEYS);
    ProxyInterceptorBuilder builder = ProxyInterceptor.builder();
    Map<String, String> setQuery = values(block.object("setQueryParams"), false);
    setQuery.forEach(builder::settingQueryParam);
    for (String name : nonEmpty(block, "removeQueryParams")) {
      builder.removingQueryParam(name);
    }
    String remove = prefix(block, "removePathPrefix");
    if (remove != null) {
      builder.removingPathPrefix(remove);
    }
    String add = prefix(block, "addPathPrefix");
    if (add != null) {
      builder.addingPathPrefix(add);
    }
    Map<String, String> setRequest = values(block.object("setRequestHeaders"), true);
    Set<CharSequence> removeRequest = names(block, "removeRequestHeaders");
    if (!removeRequest.isEmpty()) {
      builder.filteringRequestHeaders(removeRequest);
    }
    if (!setRequest.isEmpty()) {
      builder.transformingRequestHeaders(h -> setRequest.forEach(h::set));
    }
    Map<String, String> setResponse = values(block.object("setResponseHeaders"), true);
    Set<CharSequence> removeResponse = names(block, "removeResponseHeaders");
    if (!removeResponse.isEmpty()) {
      builder.filteringResponseHeaders(removeResponse);
    }
    if (!setResponse.isEmpty()) {
      builder.transformingResponseHeaders(h -> setResponse.forEach(h::set));
    }
    long max = block.integer("maxBodySize", HttpProxyInterceptors.DEFAULT_MAX_BODY_SIZE, 1, Integer.MAX_VALUE);
    return new Config(builder.build(), max);
  }

  private static String prefix(ConfigBlock block, String key) {
    String p = block.string(key, null);
    if (p == null) {
      return null;
    }
    if (!p.startsWith("/") || p.length() < 2 || p.endsWith("/") || p.contains("?") || p.contains("#")) {
      block.problem(key, "must be a path such as /v1 (starting with '/', not ending with one, no query), got '"
          + p + "'");
      return null;
    }
    return p;
  }

  private static List<String> nonEmpty(ConfigBlock block, String key) {
    List<String> listed = block.strings(key);
    for (int i = 0; i < listed.size(); i++) {
      if (listed.get(i).isEmpty()) {
        block.problem(key + "[" + i + "]", "must not be empty");
      }
    }
    return listed.stream().filter(s -> !s.isEmpty()).toList();
  }

  private static Set<CharSequence> names(ConfigBlock block, String key) {
    Set<CharSequence> out = new LinkedHashSet<>();
    List<String> listed = block.strings(key);
    for (int i = 0; i < listed.size(); i++) {
      String reason = HeaderFields.nameProblem(listed.get(i), "interceptors");
      if (reason != null) {
        block.problem(key + "[" + i + "]", reason);
      } else {
        out.add(listed.get(i));
      }
    }
    return out;
  }

  /** A mapping of names to values: header fields (names checked as tokens) or query parameters. */
  private static Map<String, String> values(ConfigBlock block, boolean headers) {
    if (headers) {
      return HeaderFields.read(block, "interceptors");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String n : block.keys()) {
      if (n.isEmpty()) {
        block.problem(n, "a parameter name must not be empty");
      } else {
        out.put(n, block.string(n, ""));
      }
    }
    return out;
  }

}
