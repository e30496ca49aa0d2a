package dev.harp.rules;

import dev.cel.runtime.CelVariableResolver;
import dev.harp.spi.Attachments;
import dev.harp.spi.Exchange;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The activation of one exchange, shared by all its rules: a variable is computed the first time an expression asks
 * for it, then kept, so ten rules over {@code request.path} read it once and none pays for {@code request.query}
 * unless one uses it.
 */
final class RequestVariables implements CelVariableResolver {

  static final String METHOD = "request.method";
  static final String PATH = "request.path";
  static final String CANONICAL_PATH = "request.canonicalPath";
  static final String HEADERS = "request.headers";
  static final String QUERY = "request.query";
  static final String CLIENT_ADDRESS = "client.address";
  static final String IDENTITY = "identity";
  static final String NOW = "now";

  private final Exchange exchange;
  private Optional<Object> canonicalPath;
  private Optional<Object> headers;
  private Optional<Object> query;
  private Optional<Object> now;

  RequestVariables(Exchange exchange) {
    this.exchange = exchange;
  }

  @Override
  public Optional<Object> find(String name) {
    switch (name) {
      case METHOD:
        return Optional.of(exchange.method().name());
      case PATH:
        return Optional.of(exchange.path());
      case CANONICAL_PATH:
        if (canonicalPath == null) {
          String c = exchange.canonicalPath();
          canonicalPath = Optional.of(c == null ? "" : c);
        }
        return canonicalPath;
      case HEADERS:
        if (headers == null) {
          headers = Optional.of(new HeaderView(exchange.headers()));
        }
        return headers;
      case QUERY:
        if (query == null) {
          query = Optional.of(parseQuery(exchange.query()));
        }
        return query;
      case CLIENT_ADDRESS:
        String a = exchange.clientAddress();
        return Optional.of(a == null ? "" : a);
      case IDENTITY:
        // The API key's consumer auth published; anonymous requests (and session logins) have none.
        String consumer = exchange.get(Attachments.CONSUMER);
        return Optional.of(consumer == null ? "" : consumer);
      case NOW:
        if (now == null) {
          now = Optional.of(Instant.now());
        }
        return now;
      default:
        return Optional.empty();
    }
  }

  /** Name to first value, percent-decoded ({@code +} as space, as forms send it). */
  static Map<String, String> parseQuery(String query) {
    if (query == null || query.isEmpty()) {
      return Collections.emptyMap();
    }
    Map<String, List<String>> params = new QueryStringDecoder(query, false).parameters();
    Map<String, String> out = new LinkedHashMap<>(params.size() * 2);
    params.forEach((k, v) -> out.put(k, v.isEmpty() ? "" : v.get(0)));
    return out;
  }
}
