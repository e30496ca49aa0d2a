package dev.harp.config;

import dev.harp.config.ProxyConfig.Balancing;
import dev.harp.config.ProxyConfig.Endpoint;
import dev.harp.config.ProxyConfig.HashKey;
import dev.harp.config.ProxyConfig.Pool;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code upstream.pools}: named pools beside the primary endpoints and the fallback, each with its own
 * endpoints and, optionally, its own balancing. A filter routes an exchange to one by name, so the names are checked
 * here once and by the filters that use them (see {@code ConfigBlock#upstreamPools}).
 */
final class PoolsReader {

  /** Pool names are tokens: they appear in the admin API, problem details and filters' config. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
  /** The labels the admin API already gives the two unnamed pools. */
  private static final Set<String> RESERVED = Set.of("primary", "fallback");

  private PoolsReader() {
  }

  /**
   * @param upstream the {@code upstream} block
   * @param urls     the endpoint URLs already listed in the upstream (primary, fallback); pool endpoints are added
   * @param lb       the upstream's balancing, each pool's default
   * @param hashOn   the upstream's hash key, the default of a pool that hashes
   */
  static List<Pool> read(ConfigNode upstream, Set<String> urls, Balancing lb, HashKey hashOn) {
    List<Pool> pools = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    for (ConfigNode n : upstream.objects("pools")) {
      n.allowOnly(Set.of("name", "endpoints", "lb", "hashOn"));
      String name = name(n, names);
      List<Endpoint> endpoints = ProxyReader.endpoints(n, "endpoints");
      if (endpoints.isEmpty() && n.problems().list().stream().noneMatch(p -> p.startsWith(n.pathOf("endpoints")))) {
        n.problem("endpoints", "must list at least one endpoint URL");
      }
      for (Endpoint e : endpoints) {
        if (!urls.add(e.url())) {
          // Health, breakers and ejection are kept per URL: one endpoint cannot be in two pools.
          n.problem("endpoints", "'" + e.url() + "' is already an endpoint of this upstream (primary, fallback or "
              + "another pool)");
        }
      }
      Balancing poolLb = n.parsed("lb", lb, ProxyReader::balancing);
      HashKey poolHash = n.parsed("hashOn", null, ProxyReader::hashKey);
      if (poolLb == Balancing.CONSISTENT_HASH && poolHash == null && !n.has("hashOn")) {
        poolHash = hashOn;
        if (poolHash == null) {
          n.problem("hashOn", "is required when the pool's lb is consistent-hash and the upstream has no hashOn");
        }
      } else if (poolLb != Balancing.CONSISTENT_HASH && n.has("hashOn")) {
        n.problem("hashOn", "applies only with lb: consistent-hash");
      }
      if (name != null) {
        pools.add(new Pool(name, List.copyOf(endpoints), poolLb, poolLb == Balancing.CONSISTENT_HASH ? poolHash
            : null));
      }
    }
    return List.copyOf(pools);
  }

  private static String name(ConfigNode n, Map<String, String> seen) {
    String name = n.requiredString("name");
    if (name == null) {
      return null;
    }
    if (!NAME.matcher(name).matches()) {
      n.problem("name", "'" + name + "' must be 1-63 letters, digits, '-' or '_', starting with a letter or digit");
      return null;
    }
    if (RESERVED.contains(name)) {
      n.problem("name", "'" + name + "' is reserved (the admin API's label for the upstream's own endpoints)");
      return null;
    }
    String earlier = seen.putIfAbsent(name, n.path());
    if (earlier != null) {
      n.problem("name", "'" + name + "' is already the name of " + earlier);
      return null;
    }
    return name;
  }
}
