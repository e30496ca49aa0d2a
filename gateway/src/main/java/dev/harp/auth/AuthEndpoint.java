package dev.harp.auth;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Asks the configured auth endpoint about one set of credentials. Only the chosen cookies and headers (and the request
 * id, for correlation) are sent; 2xx allows, 401/403 deny, anything else (another status, a refused connection, a
 * timeout) is {@link Decision.Unavailable}, which callers answer with 503: an auth outage never opens the door.
 */
final class AuthEndpoint {

  private final HttpClient client;
  private final AuthConfig.Forward forward;

  AuthEndpoint(HttpClient client, AuthConfig.Forward forward) {
    this.client = client;
    this.forward = forward;
  }

  /** Call on the exchange's context; never fails (failures are {@link Decision.Unavailable}). */
  Future<Decision> check(SessionCredentials credentials, String requestId) {
    long timeout = forward.timeout().toMillis();
    AuthConfig.Endpoint url = forward.url();
    RequestOptions options = new RequestOptions()
        .setMethod(forward.post() ? HttpMethod.POST : HttpMethod.GET)
        .setHost(url.host())
        .setPort(url.port())
        .setSsl(url.tls())
        .setURI(url.path())
        .setConnectTimeout(timeout)
        .setIdleTimeout(timeout);
    return client.request(options)
        .compose(req -> {
          if (!credentials.cookies().isEmpty()) {
            req.putHeader("Cookie", credentials.cookieField());
          }
          for (Map.Entry<String, String> h : credentials.headers()) {
            req.putHeader(h.getKey(), h.getValue());
          }
          req.putHeader("X-Request-Id", requestId);
          // Nested, so the body is consumed before the response is released (vert.x #4705).
          return req.send().compose(resp -> resp.end().map(v -> decide(resp)));
        })
        .otherwise(t -> new Decision.Unavailable(describe(t)));
  }

  private Decision decide(HttpClientResponse resp) {
    int status = resp.statusCode();
    if (status == 401 || status == 403) {
      return new Decision.Denied(status);
    }
    if (status < 200 || status > 299) {
      return new Decision.Unavailable("auth endpoint answered " + status);
    }
    Map<String, String> identity = new LinkedHashMap<>();
    for (String name : forward.identityHeaders()) {
      String value = resp.getHeader(name);
      if (value != null) {
        identity.put(name, value);
      }
    }
    String user = forward.userHeader() == null ? null : resp.getHeader(forward.userHeader());
    List<String> groups = new ArrayList<>();
    forward.groupsHeader().map(resp::getHeader).ifPresent(g -> {
      for (String part : g.split(",")) {
        if (!part.isBlank()) {
          groups.add(part.trim().toLowerCase(Locale.ROOT));
        }
      }
    });
    return new Decision.Allowed(identity, user, groups);
  }

  private static String describe(Throwable t) {
    return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
  }
}
