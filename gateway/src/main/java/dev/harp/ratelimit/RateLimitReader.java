package dev.harp.ratelimit;

import dev.harp.config.ConfigNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a proxy's {@code rateLimit:} block; every mistake is reported with its key path. */
final class RateLimitReader {

  public static final String KEY = "rateLimit";
  static final Duration DEFAULT_CLUSTER_TIMEOUT = Duration.ofMillis(5);
  static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofMillis(100);
  static final long DEFAULT_MAX_KEYS = 1_000_000;
  static final double MAX_HORIZON_NANOS = 30 * 365.25 * 86_400e9;

  private static final Set<String> POLICY_KEYS = Set.of("mode", "by", "limits", "onClusterFailure");
  private static final Pattern METHOD = Pattern.compile("[A-Z]{1,20}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_./:-]{0,62}");

  RateLimitSettings read(ConfigNode n) {
    Set<String> allowed = new HashSet<>(POLICY_KEYS);
    allowed.addAll(Set.of("clusterTimeout", "syncInterval", "maxKeys", "routes"));
    n.allowOnly(allowed);
    Mode mode = n.parsed("mode", Mode.CLUSTER, s -> parseEnum(Mode.class, s));
    List<KeyPart> by = by(n, List.of(new KeyPart.Client()));
    OnClusterFailure onFailure = n.parsed("onClusterFailure", OnClusterFailure.LOCAL,
        s -> parseEnum(OnClusterFailure.class, s));
    Duration timeout = positive(n, "clusterTimeout", DEFAULT_CLUSTER_TIMEOUT, Duration.ofSeconds(10));
    Duration sync = positive(n, "syncInterval", DEFAULT_SYNC_INTERVAL, Duration.ofMinutes(1));
    if (sync.toMillis() < 10) {
      n.problem("syncInterval", "must be at least 10ms");
    }
    long maxKeys = n.integer("maxKeys", DEFAULT_MAX_KEYS, 100, 1_000_000_000L);

    List<Policy> policies = new ArrayList<>();
    Set<String> headerNames = new HashSet<>();
    Set<String> routeNames = new HashSet<>();
    List<ConfigNode> routes = n.objects("routes");
    for (ConfigNode r : routes) {
      r.allowOnly(Set.of("name", "path", "methods", "mode", "by", "limits", "onClusterFailure"));
      String path = r.requiredString("path");
      Set<String> methods = new LinkedHashSet<>();
      List<String> methodTexts = r.strings("methods");
      for (int i = 0; i < methodTexts.size(); i++) {
        String m = methodTexts.get(i).toUpperCase(Locale.ROOT);
        if (!METHOD.matcher(m).matches()) {
          r.problems().add(r.pathOf("methods") + "[" + i + "]", "'" + methodTexts.get(i) + "' is not an HTTP method");
        }
        methods.add(m);
      }
      RouteMatch match = null;
      if (path != null && !path.startsWith("/")) {
        r.problem("path", "'" + path + "' must start with /");
      } else if (path != null) {
        try {
          match = new RouteMatch(path, methods);
        } catch (IllegalArgumentException e) {
          r.problem("path", e.getMessage());
        }
      }
      String name = r.string("name", path == null ? "route" : path + (methods.isEmpty() ? "" : " " + String.join(",", methods)));
      if (r.has("name") && !NAME.matcher(name).matches()) {
        r.problem("name", "'" + name + "' must be 1-63 letters, digits or any of _ . / : -");
      }
      if (!routeNames.add(name)) {
        r.problem("name", "duplicate route name '" + name + "' (name the routes to tell them apart)");
      }
      if (!r.has("limits")) {
        r.problem("limits", "is required: a route needs its own limits");
      }
      Mode routeMode = r.parsed("mode", mode, s -> parseEnum(Mode.class, s));
      OnClusterFailure routeFailure = r.parsed("onClusterFailure", onFailure,
          s -> parseEnum(OnClusterFailure.class, s));
      List<Limit> limits = limits(r, name + ":", headerNames);
      policies.add(new Policy("route:" + name, routeMode, by(r, by), limits, routeFailure, timeout, sync,
          match == null ? new RouteMatch("/", methods) : match));
    }
    if (n.has("limits")) {
      policies.add(new Policy("proxy", mode, by, limits(n, "", headerNames), onFailure, timeout, sync, null));
    } else if (routes.isEmpty()) {
      n.problem("limits", "is required (e.g. limits: [{requests: 100, per: 1s}]), unless routes have their own");
    }
    return new RateLimitSettings(policies, maxKeys);
  }

  private static List<KeyPart> by(ConfigNode n, List<KeyPart> inherited) {
    if (!n.has("by")) {
      return inherited;
    }
    boolean list = n.raw().get("by").isArray();
    List<String> texts = n.strings("by");
    if (texts.isEmpty() && n.problems().isEmpty()) {
      n.problem("by", "must name at least one key (client, consumer, rule, header:<name>, path)");
    }
    List<KeyPart> parts = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      try {
        KeyPart p = KeyPart.parse(texts.get(i));
        if (parts.contains(p)) {
          throw new IllegalArgumentException("'" + texts.get(i) + "' is listed twice");
        }
        parts.add(p);
      } catch (IllegalArgumentException e) {
        n.problems().add(n.pathOf("by") + (list ? "[" + i + "]" : ""), e.getMessage());
      }
    }
    return parts.isEmpty() ? inherited : parts;
  }

  private static List<Limit> limits(ConfigNode n, String namePrefix, Set<String> headerNames) {
    List<Limit> out = new ArrayList<>();
    List<ConfigNode> items = n.objects("limits");
    if (n.has("limits") && items.isEmpty() && n.raw().get("limits").isArray()) {
      n.problem("limits", "must list at least one limit ({requests: 100, per: 1s})");
    }
    for (ConfigNode l : items) {
      l.allowOnly(Set.of("name", "requests", "per", "burst"));
      if (!l.has("requests")) {
        l.problem("requests", "is required");
      }
      if (!l.has("per")) {
        l.problem("per", "is required (e.g. 1s, 1m, 1h)");
      }
      long requests = l.integer("requests", 1, 1, 1_000_000_000L);
      Duration per = l.duration("per", Duration.ofSeconds(1));
      if (per.isZero()) {
        l.problem("per", "must be greater than 0");
        per = Duration.ofSeconds(1);
      }
      long burst = l.integer("burst", requests, 1, 1_000_000_000L);
      String name = l.string("name", Limit.defaultName(requests, per));
      if (l.has("name") && !NAME.matcher(name).matches()) {
        l.problem("name", "'" + name + "' must be 1-63 letters, digits or any of _ . / : -");
      }
      Limit limit = new Limit(namePrefix + name, requests, per, burst);
      if ((double) burst * limit.emissionNanos() > MAX_HORIZON_NANOS) {
        // TATs are epoch nanoseconds in a long: a tolerance beyond decades would overflow them.
        l.problem("burst", "is too large for this rate (burst x per/requests must stay under 30 years)");
      }
      if (!headerNames.add(limit.name())) {
        l.problem(l.has("name") ? "name" : null, "duplicate limit name '" + limit.name()
            + "' (RateLimit headers name each limit; set name: to tell them apart)");
      }
      out.add(limit);
    }
    return out;
  }

  private static Duration positive(ConfigNode n, String key, Duration def, Duration max) {
    Duration d = n.duration(key, def);
    if (d.isZero()) {
      n.problem(key, "must be greater than 0");
      return def;
    }
    if (d.compareTo(max) > 0) {
      n.problem(key, "must be at most " + dev.harp.config.Durations.format(max));
      return def;
    }
    return d;
  }

  static <E extends Enum<E>> E parseEnum(Class<E> type, String text) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(text)) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase(Locale.ROOT));
    }
    throw new IllegalArgumentException("'" + text + "' is not one of " + String.join(", ", names));
  }
}
