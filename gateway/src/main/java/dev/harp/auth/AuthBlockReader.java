package dev.harp.auth;

import dev.harp.config.ConfigNode;
import dev.harp.http.PathPattern;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a proxy's {@code auth:} block into an {@link AuthConfig} (for {@link AuthFilterFactory}); each mistake
 * becomes a problem with its key path.
 */
final class AuthBlockReader {

  /** RFC 9110 token characters: what a header or cookie name may hold. */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  static final String KEY = "auth";

  AuthConfig read(ConfigNode n) {
    n.allowOnly(Set.of("forward", "apiKeys", "rules", "access", "adminGroups", "inject"));
    Optional<AuthConfig.Forward> forward = n.has("forward") ? forward(n.object("forward")) : Optional.empty();
    Optional<AuthConfig.ApiKeys> apiKeys = n.has("apiKeys") ? Optional.of(apiKeys(n.object("apiKeys")))
        : Optional.empty();
    boolean identities = forward.isPresent() || apiKeys.isPresent();
    Access access = n.parsed("access", identities ? Access.USER : Access.PUBLIC, Access::parse);
    List<AuthConfig.RouteRule> rules = new ArrayList<>();
    for (ConfigNode r : n.objects("rules")) {
      r.allowOnly(Set.of("path", "access"));
      String path = r.requiredString("path");
      PathPattern compiled = path == null ? null : r.parsed("path", null, PathPattern::compile);
      Access a = r.has("access") ? r.parsed("access", null, Access::parse) : null;
      if (!r.has("access")) {
        r.problem("access", "is required (public, user or admin)");
      }
      if (compiled != null && a != null) {
        rules.add(new AuthConfig.RouteRule(path, compiled, a));
      }
    }
    boolean needsIdentity = access != Access.PUBLIC || rules.stream().anyMatch(r -> r.access() != Access.PUBLIC);
    if (needsIdentity && !identities) {
      n.problem(null, "access 'user' or 'admin' needs auth.forward or auth.apiKeys to identify callers");
    }
    Set<String> adminGroups = new LinkedHashSet<>();
    n.strings("adminGroups").forEach(g -> adminGroups.add(g.toLowerCase(Locale.ROOT)));
    boolean needsAdmin = access == Access.ADMIN || rules.stream().anyMatch(r -> r.access() == Access.ADMIN);
    if (needsAdmin && adminGroups.isEmpty()) {
      n.problem("adminGroups", "access 'admin' needs the groups that grant it");
    }
    List<Injection> inject = new ArrayList<>();
    for (ConfigNode i : n.objects("inject")) {
      Injection injection = injection(i);
      if (injection != null) {
        inject.add(injection);
      }
    }
    return new AuthConfig(forward, apiKeys, rules, access, adminGroups, inject);
  }

  private static Optional<AuthConfig.Forward> forward(ConfigNode n) {
    n.allowOnly(Set.of("url", "method", "cookies", "headers", "identityHeaders", "userHeader", "groupsHeader",
        "loginUrl", "timeout", "cacheTtl", "negativeCacheTtl"));
    AuthConfig.Endpoint url = n.has("url") ? n.parsed("url", null, AuthBlockReader::endpoint) : null;
    if (!n.has("url")) {
      n.problem("url", "is required (the auth endpoint, e.g. http://127.0.0.1:8080/auth/check)");
    }
    String method = n.string("method", "GET");
    if (!method.equalsIgnoreCase("GET") && !method.equalsIgnoreCase("POST")) {
      n.problem("method", "must be GET or POST");
    }
    List<String> cookies = names(n, "cookies", List.of());
    List<String> headers = names(n, "headers", List.of("Authorization"));
    if (cookies.isEmpty() && headers.isEmpty()) {
      n.problem(null, "name at least one cookie or header that carries the session");
    }
    List<String> identity = names(n, "identityHeaders", List.of());
    if (identity.isEmpty()) {
      n.problem("identityHeaders", "name the headers the auth endpoint returns (e.g. [X-User, X-Groups])");
    }
    String userHeader = n.string("userHeader", identity.isEmpty() ? null : identity.get(0));
    Optional<String> groupsHeader = Optional.ofNullable(n.string("groupsHeader", null));
    for (String h : groupsHeader.map(List::of).orElse(List.of())) {
      if (identity.stream().noneMatch(h::equalsIgnoreCase)) {
        n.problem("groupsHeader", "'" + h + "' must be one of identityHeaders");
      }
    }
    if (userHeader != null && identity.stream().noneMatch(userHeader::equalsIgnoreCase)) {
      n.problem("userHeader", "'" + userHeader + "' must be one of identityHeaders");
    }
    String loginUrl = n.string("loginUrl", null);
    if (loginUrl != null && !loginUrl.startsWith("http://") && !loginUrl.startsWith("https://")
        && !loginUrl.startsWith("/")) {
      n.problem("loginUrl", "must be an http(s) URL or a path");
    }
    AuthConfig.Forward forward = new AuthConfig.Forward(url, method.equalsIgnoreCase("POST"), cookies, headers,
        identity, userHeader, groupsHeader, Optional.ofNullable(loginUrl),
        n.duration("timeout", AuthConfig.DEFAULT_TIMEOUT), n.duration("cacheTtl", AuthConfig.DEFAULT_CACHE_TTL),
        n.duration("negativeCacheTtl", AuthConfig.DEFAULT_NEGATIVE_TTL));
    if (forward.timeout().isZero()) {
      n.problem("timeout", "must be more than 0s: the auth endpoint is never waited for without end");
    }
    return url == null ? Optional.empty() : Optional.of(forward);
  }

  private static AuthConfig.ApiKeys apiKeys(ConfigNode n) {
    n.allowOnly(Set.of("header", "queryParam", "allow", "consumerHeader"));
    String header = token(n, "header", AuthConfig.DEFAULT_KEY_HEADER);
    String query = n.string("queryParam", null);
    if (query != null && query.isBlank()) {
      n.problem("queryParam", "must not be empty");
    }
    return new AuthConfig.ApiKeys(header, Optional.ofNullable(query), Set.copyOf(n.strings("allow")),
        token(n, "consumerHeader", AuthConfig.DEFAULT_CONSUMER_HEADER));
  }

  /** One entry of {@code inject}: exactly one of bearer, basic, header, queryParam. */
  private static Injection injection(ConfigNode n) {
    n.allowOnly(Set.of("bearer", "basic", "header", "queryParam"));
    int kinds = (n.has("bearer") ? 1 : 0) + (n.has("basic") ? 1 : 0) + (n.has("header") ? 1 : 0)
        + (n.has("queryParam") ? 1 : 0);
    if (kinds != 1) {
      n.problem(null, "give exactly one of bearer, basic, header, queryParam");
      return null;
    }
    if (n.has("bearer")) {
      String token = n.requiredString("bearer");
      return token == null ? null : new Injection.Bearer(token);
    }
    if (n.has("basic")) {
      ConfigNode b = n.object("basic");
      b.allowOnly(Set.of("user", "password"));
      String user = b.requiredString("user");
      String password = b.requiredString("password");
      if (user != null && user.contains(":")) {
        b.problem("user", "must not contain ':'");
        return null;
      }
      return user == null || password == null ? null : new Injection.Basic(user, password);
    }
    ConfigNode nv = n.object(n.has("header") ? "header" : "queryParam");
    nv.allowOnly(Set.of("name", "value"));
    String name = n.has("header") ? token(nv, "name", null) : nv.requiredString("name");
    String value = nv.requiredString("value");
    if (name == null || value == null) {
      if (name == null && n.has("header") && !nv.has("name")) {
        nv.problem("name", "is required");
      }
      return null;
    }
    if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
      nv.problem("value", "must be one line"); // never echo the value: it is a secret
      return null;
    }
    return n.has("header") ? new Injection.Header(name, value) : new Injection.QueryParam(name, value);
  }

  private static List<String> names(ConfigNode n, String key, List<String> def) {
    if (!n.has(key)) {
      return def;
    }
    List<String> out = new ArrayList<>();
    List<String> raw = n.strings(key);
    for (int i = 0; i < raw.size(); i++) {
      if (TOKEN.matcher(raw.get(i)).matches()) {
        out.add(raw.get(i));
      } else {
        n.problem(key, "'" + raw.get(i) + "' (item " + i + ") is not a valid header or cookie name");
      }
    }
    return out;
  }

  private static String token(ConfigNode n, String key, String def) {
    String v = n.string(key, def);
    if (v != null && !TOKEN.matcher(v).matches()) {
      n.problem(key, "'" + v + "' is not a valid header name");
      return def;
    }
    return v;
  }

  static AuthConfig.Endpoint endpoint(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + url + "' is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("'" + url + "' must start with http:// or https://");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("'" + url + "' has no host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("the auth endpoint URL must not carry credentials");
    }
    boolean tls = scheme.equals("https");
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
        : uri.getHost();
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    return new AuthConfig.Endpoint(tls, host, port, path);
  }
}
