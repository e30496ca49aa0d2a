package dev.harp.ratelimit;

import dev.harp.http.PathPattern;

import java.util.Set;

/**
 * Which requests a route policy covers: a path prefix on segment boundaries ({@code /login} covers {@code /login}
 * and {@code /login/x}, not {@code /loginx}) and optionally a set of methods. Matched, like auth's rules, against the
 * request's canonical path ({@link dev.harp.http.CanonicalPath}: decoded, case-insensitive, {@code ;params} and empty
 * segments dropped), so {@code /LOGIN} or {@code /%6cogin} cannot escape a route; a trailing slash in the prefix is
 * no different from none.
 *
 * @param pathPrefix as configured
 */
public record RouteMatch(String pathPrefix, Set<String> methods, PathPattern pattern) {

  /** @throws IllegalArgumentException with a user-facing reason (see {@link PathPattern#compile}) */
  public RouteMatch(String pathPrefix, Set<String> methods) {
    this(pathPrefix, Set.copyOf(methods), PathPattern.compile(pathPrefix.endsWith("/") ? pathPrefix + "**"
        : pathPrefix + "/**"));
  }

  /** @param canonicalPath the exchange's {@link dev.harp.engine.ProxyExchange#canonicalPath()} */
  public boolean matches(String method, String canonicalPath) {
    return (methods.isEmpty() || methods.contains(method)) && pattern.matches(canonicalPath);
  }
}
