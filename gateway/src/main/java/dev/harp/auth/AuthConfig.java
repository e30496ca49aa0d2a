package dev.harp.auth;

import dev.harp.config.ProxyConfig;
import dev.harp.engine.FilterBlock;
import dev.harp.http.PathPattern;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One proxy's {@code auth:} block (docs/auth.md): who may call it, and what HARP adds upstream.
 *
 * @param forward  session validation against the application platform's auth endpoint
 * @param apiKeys  consumers identified by API keys (the keys themselves are top-level {@code consumers})
 * @param rules    first matching path pattern decides the access level
 * @param access   the access level of paths no rule matches
 * @param adminGroups groups (lowercase) that grant {@link Access#ADMIN}, to a session or a consumer
 * @param inject   credentials added to every upstream request
 */
public record AuthConfig(Optional<Forward> forward, Optional<ApiKeys> apiKeys, List<RouteRule> rules, Access access,
                         Set<String> adminGroups, List<Injection> inject) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(5);
  public static final String DEFAULT_KEY_HEADER = "X-Api-Key";
  public static final String DEFAULT_CONSUMER_HEADER = "X-Consumer";

  public AuthConfig {
    rules = List.copyOf(rules);
    adminGroups = Set.copyOf(adminGroups);
    inject = List.copyOf(inject);
  }

  /** A proxy's {@code auth:} block, if it has one. */
  public static Optional<AuthConfig> of(ProxyConfig proxy) {
    return proxy.<FilterBlock>feature(AuthBlockReader.KEY).map(FilterBlock::config)
        .filter(AuthConfig.class::isInstance).map(AuthConfig.class::cast);
  }

  /** Whether any request is checked at all (only injection otherwise). */
  public boolean controlsAccess() {
    return forward.isPresent() || apiKeys.isPresent();
  }

  /**
   * @param url             the auth endpoint; HARP sends it the chosen credentials, nothing else from the request
   * @param post            POST (without body) instead of GET
   * @param cookies         cookie names passed on (only these; the session key is built from them)
   * @param headers         request header names passed on (and part of the session key)
   * @param identityHeaders copied from the endpoint's 2xx answer onto the upstream request; always removed from
   *                        what clients send
   * @param userHeader      the identity header naming the user (logout by user, logs)
   * @param groupsHeader    the identity header listing groups, comma-separated; empty if none
   * @param loginUrl        where a browser that is refused with 401 is redirected ({@code rd=} carries its URL); empty:
   *                        answer 401
   * @param cacheTtl        how long an accepted session is remembered cluster-wide
   * @param negativeTtl     how long a refused (401/403) one is
   */
  public record Forward(Endpoint url, boolean post, List<String> cookies, List<String> headers,
                        List<String> identityHeaders, String userHeader, Optional<String> groupsHeader,
                        Optional<String> loginUrl, Duration timeout, Duration cacheTtl, Duration negativeTtl) {
  }

  /** @param path includes the query, if any */
  public record Endpoint(boolean tls, String host, int port, String path) {
    public String url() {
      return (tls ? "https" : "http") + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port + path;
    }
  }

  /**
   * @param header         request header carrying the key (a {@code Bearer } prefix is accepted); never forwarded
   * @param queryParam     query parameter carrying the key, if allowed; never forwarded
   * @param allow          consumers accepted on this proxy; empty means every consumer
   * @param consumerHeader set on the upstream request to the consumer's name; always removed from what clients send
   */
  public record ApiKeys(String header, Optional<String> queryParam, Set<String> allow, String consumerHeader) {
  }

  /** @param pattern as written, e.g. {@code /admin/**} */
  public record RouteRule(String pattern, PathPattern compiled, Access access) {
  }
}
