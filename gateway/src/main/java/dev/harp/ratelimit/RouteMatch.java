package dev.harp.ratelimit;

import java.util.Set;

/**
 * Which requests a route policy covers: a path prefix on segment boundaries ({@code /login} covers {@code /login}
 * and {@code /login/x}, not {@code /loginx}) and optionally a set of methods.
 */
public record RouteMatch(String pathPrefix, Set<String> methods) {

  public boolean matches(String method, String path) {
    if (!methods.isEmpty() && !methods.contains(method)) {
      return false;
    }
    if (!path.startsWith(pathPrefix)) {
      return false;
    }
    return path.length() == pathPrefix.length() || pathPrefix.endsWith("/") || path.charAt(pathPrefix.length()) == '/';
  }
}
