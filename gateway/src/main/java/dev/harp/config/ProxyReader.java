package dev.harp.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.harp.config.ProxyConfig.Balancing;
import dev.harp.config.ProxyConfig.Endpoint;
import dev.harp.config.ProxyConfig.HashKey;
import dev.harp.config.ProxyConfig.Limits;
import dev.harp.config.ProxyConfig.Timeouts;
import dev.harp.config.ProxyConfig.Upstream;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import dev.harp.engine.FilterBlock;
import dev.harp.engine.FilterBlockReader;
import dev.harp.engine.FilterFactories;
import dev.harp.engine.PipelineOrder;
import dev.harp.engine.Pipelines;
import dev.harp.spi.FilterFactory;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the {@code proxies} list; feature blocks under a proxy are handed to their {@link ProxyBlockReader}. */
final class ProxyReader {

  static final Set<String> CORE_KEYS = Set.of("name", "bind", "port", "upstream", "timeouts", "limits",
      "preserveHost", "accessLog", Pipelines.OVERRIDE_KEY);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");

  static final Duration DEFAULT_CONNECT = Duration.ofSeconds(2);
  static final Duration DEFAULT_RESPONSE = Duration.ofSeconds(30);
  static final Duration DEFAULT_IDLE = Duration.ofSeconds(60);
  static final int DEFAULT_POOL_SIZE = 128;
  static final int DEFAULT_MAX_URI = 8192;
  static final int DEFAULT_MAX_HEADER_SIZE = 16384;
  static final int DEFAULT_MAX_HEADER_COUNT = 100;
  static final Duration DEFAULT_HEADER_READ_TIMEOUT = Duration.ofSeconds(10);

  private final Map<String, ProxyBlockReader<?>> blockReaders = new HashMap<>();
  /** Every filter factory's placement, for each proxy's order (through filters it does not have, too). */
  private final Pipelines.Known known;
  /** Filters that apply to every proxy by default but not on this node (a node-level feature that is off). */
  private Set<String> offByDefault = Set.of();

  /** @param plugins where filter factories come from: HARP's own class loader, or the plugins' over it */
  ProxyReader(ClassLoader plugins) {
    for (ProxyBlockReader<?> r : ServiceLoader.load(ProxyBlockReader.class, ProxyReader.class.getClassLoader())) {
      blockReaders.put(r.key(), r);
    }
    Set<String> reserved = new HashSet<>(CORE_KEYS);
    reserved.addAll(blockReaders.keySet());
    FilterFactories factories = FilterFactories.load(plugins, reserved);
    for (FilterFactory<?> f : factories.all()) {
      FilterBlockReader reader = new FilterBlockReader(f);
      for (String key : FilterFactories.keysOf(f)) {
        blockReaders.put(key, reader); // a factory that reads several blocks is listed under each
      }
    }
    known = new Pipelines.Known(factories.placements());
  }

  /**
   * Leaves out these filters where a proxy has no block of theirs: the audit filter sits on every proxy only when
   * the node keeps an audit trail, so {@code harp filters} and the pipelines show it only then.
   */
  ProxyReader offByDefault(Set<String> names) {
    this.offByDefault = Set.copyOf(names);
    return this;
  }

  List<ProxyConfig> readAll(ConfigNode root) {
    List<ConfigNode> nodes = root.objects("proxies");
    if (!root.has("proxies")) {
      root.problem("proxies", "is required: list at least one proxy (name, port, upstream)");
    } else if (nodes.isEmpty() && root.problems().isEmpty()) {
      root.problem("proxies", "must list at least one proxy");
    }
    List<ProxyConfig> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ConfigNode n : nodes) {
      ProxyConfig p = read(n);
      if (p.name() != null && !names.add(p.name())) {
        n.problem("name", "duplicate proxy name '" + p.name() + "'");
      }
      out.add(p);
    }
    return out;
  }

  private ProxyConfig read(ConfigNode n) {
    Set<String> allowed = new HashSet<>(CORE_KEYS);
    allowed.addAll(blockReaders.keySet());
    n.allowOnly(allowed);
    String name = n.requiredString("name");
    if (name != null && !NAME.matcher(name).matches()) {
      n.problem("name", "'" + name + "' must be 1-63 letters, digits, '-' or '_', starting with a letter or digit");
    }
    if (!n.has("port")) {
      n.problem("port", "is required");
    }
    int port = n.port("port", 0);
    String bind = n.parsed("bind", "0.0.0.0", Addresses::requireIp);
    // Before the feature blocks: a filter that routes to a pool checks its names against the declared ones.
    Upstream upstream = upstream(n.object("upstream"));
    Map<String, Object> features = new HashMap<>();
    for (ProxyBlockReader<?> r : new LinkedHashSet<>(blockReaders.values())) {
      if (r instanceof FilterBlockReader filter && filter.readsSeveralKeys()) {
        several(n, filter, upstream, features);
      } else if (n.has(r.key())) {
        // A filter's block may be a list (rules:); the SPI's ConfigBlock checks its shape for the filter.
        if (r instanceof FilterBlockReader filter) {
          ConfigNode block = new ConfigNode(n.raw().get(r.key()), n.pathOf(r.key()), n.problems());
          features.put(r.key(), filter.read(block, upstream.poolNames()));
        } else {
          features.put(r.key(), r.read(n.object(r.key())));
        }
      } else if (r instanceof FilterBlockReader filter && !offByDefault.contains(r.key())) {
        FilterBlock everywhere = filter.withoutBlock(); // a filter on every proxy (e.g. ban), with its defaults
        if (everywhere != null) {
          features.put(r.key(), everywhere);
        }
      }
    }
    if (n.has(Pipelines.OVERRIDE_KEY)) {
      features.put(Pipelines.OVERRIDE_KEY, List.copyOf(n.strings(Pipelines.OVERRIDE_KEY)));
    }
    features.put(Pipelines.KNOWN_KEY, known);
    ProxyConfig proxy = new ProxyConfig(name, bind, port, upstream,
        timeouts(n.object("timeouts")), limits(n.object("limits")), n.bool("preserveHost", false),
        n.bool("accessLog", false), Map.copyOf(features));
    if (n.problems().isEmpty()
        && Pipelines.order(proxy, Pipelines.fromConfig(proxy)) instanceof PipelineOrder.Refused refused) {
      n.problem(n.has(Pipelines.OVERRIDE_KEY) ? Pipelines.OVERRIDE_KEY : null, refused.reason());
    }
    return proxy;
  }

  /** A factory that reads several blocks reads them from the proxy's node, once; it is kept under its name. */
  private static void several(ConfigNode proxy, FilterBlockReader filter, Upstream upstream,
                              Map<String, Object> features) {
    FilterBlock block = filter.keys().stream().anyMatch(proxy::has)
        ? filter.read(proxy, upstream.poolNames()) : filter.withoutBlock();
    if (block != null) {
      features.put(filter.key(), block);
    }
  }

  private Upstream upstream(ConfigNode n) {
    if (!n.isPresent()) {
      n.problem(null, "is required (endpoints: [http://host:port, ...])");
      return new Upstream(List.of(), Balancing.ROUND_ROBIN, DEFAULT_POOL_SIZE);
    }
    n.allowOnly(Set.of("endpoints", "fallback", "pools", "lb", "hashOn", "poolSize"));
    List<Endpoint> endpoints = endpoints(n, "endpoints");
    if (endpoints.isEmpty() && n.problems().list().stream().noneMatch(p -> p.startsWith(n.pathOf("endpoints")))) {
      n.problem("endpoints", "must list at least one endpoint URL");
    }
    List<Endpoint> fallback = endpoints(n, "fallback");
    Set<String> urls = new HashSet<>();
    for (Endpoint e : endpoints) {
      if (!urls.add(e.url())) {
        n.problem("endpoints", "'" + e.url() + "' is listed twice (give it a weight instead)");
      }
    }
    for (Endpoint e : fallback) {
      if (!urls.add(e.url())) {
        n.problem("fallback", "'" + e.url() + "' is already an endpoint of this upstream");
      }
    }
    Balancing lb = n.parsed("lb", Balancing.ROUND_ROBIN, ProxyReader::balancing);
    HashKey hashOn = n.parsed("hashOn", null, ProxyReader::hashKey);
    if (lb == Balancing.CONSISTENT_HASH && hashOn == null && !n.has("hashOn")) {
      n.problem("hashOn", "is required when lb is consistent-hash (header:NAME, cookie:NAME, query:NAME, path or "
          + "client-ip)");
    } else if (lb != Balancing.CONSISTENT_HASH && n.has("hashOn")) {
      n.problem("hashOn", "applies only with lb: consistent-hash");
    }
    List<ProxyConfig.Pool> pools = PoolsReader.read(n, urls, lb, hashOn);
    int pool = (int) n.integer("poolSize", DEFAULT_POOL_SIZE, 1, 10_000);
    return new Upstream(List.copyOf(endpoints), lb, pool, List.copyOf(fallback), hashOn, pools);
  }

  /** A list whose elements are URL strings or {@code {url, weight}} mappings; a single string is a list of one. */
  static List<Endpoint> endpoints(ConfigNode n, String key) {
    List<Endpoint> out = new ArrayList<>();
    JsonNode list = n.raw().get(key);
    if (list == null || list.isNull()) {
      return out;
    }
    if (list.isTextual()) {
      list = JsonNodeFactory.instance.arrayNode().add(list);
    } else if (!list.isArray()) {
      n.problem(key, "must be a list of endpoint URLs or {url, weight} mappings, got " + ConfigNode.describe(list));
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      String path = n.pathOf(key) + "[" + i + "]";
      JsonNode element = list.get(i);
      String url;
      int weight = 1;
      if (element.isTextual()) {
        url = element.asText();
      } else if (element.isObject()) {
        ConfigNode e = new ConfigNode(element, path, n.problems());
        e.allowOnly(Set.of("url", "weight"));
        url = e.requiredString("url");
        weight = (int) e.integer("weight", 1, 1, 100);
        path = e.pathOf("url");
      } else {
        n.problems().add(path, "must be a URL or a {url, weight} mapping, got " + ConfigNode.describe(element));
        continue;
      }
      if (url == null) {
        continue;
      }
      try {
        out.add(endpoint(url).withWeight(weight));
      } catch (IllegalArgumentException e) {
        n.problems().add(path, e.getMessage());
      }
    }
    return out;
  }

  static Endpoint endpoint(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + url + "' is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
      throw new IllegalArgumentException("'" + url + "' must start with http:// or https://");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("'" + url + "' has no host");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("'" + url + "' must not carry a query, fragment or user info");
    }
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
        : uri.getHost();
    return new Endpoint(scheme, host, port, path);
  }

  static Balancing balancing(String s) {
    for (Balancing b : Balancing.values()) {
      if (b.configName.equals(s)) {
        return b;
      }
    }
    throw new IllegalArgumentException("'" + s + "' is not a balancing strategy (round-robin, least-requests, "
        + "consistent-hash)");
  }

  static HashKey hashKey(String s) {
    switch (s) {
      case "path":
        return new HashKey(HashKey.Source.PATH, null);
      case "client-ip":
        return new HashKey(HashKey.Source.CLIENT_IP, null);
      default:
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        String name = colon < 0 ? "" : s.substring(colon + 1).trim();
        HashKey.Source source = switch (kind) {
          case "header" -> HashKey.Source.HEADER;
          case "cookie" -> HashKey.Source.COOKIE;
          case "query" -> HashKey.Source.QUERY;
          default -> null;
        };
        if (source == null || name.isEmpty()) {
          throw new IllegalArgumentException("'" + s + "' is not a hash key (header:NAME, cookie:NAME, query:NAME, "
              + "path or client-ip)");
        }
        return new HashKey(source, source == HashKey.Source.HEADER ? name.toLowerCase() : name);
    }
  }

  private Timeouts timeouts(ConfigNode n) {
    n.allowOnly(Set.of("connect", "response", "idle", "websocketIdle", "deadline"));
    Duration connect = n.duration("connect", DEFAULT_CONNECT);
    if (connect.isZero()) {
      n.problem("connect", "must be greater than 0");
    }
    return new Timeouts(connect, n.duration("response", DEFAULT_RESPONSE), n.duration("idle", DEFAULT_IDLE),
        n.duration("websocketIdle", Duration.ZERO), n.duration("deadline", Duration.ZERO));
  }

  private Limits limits(ConfigNode n) {
    n.allowOnly(Set.of("maxUriLength", "maxHeaderSize", "maxHeaderCount", "maxBodySize", "headerReadTimeout"));
    return new Limits(
        (int) n.integer("maxUriLength", DEFAULT_MAX_URI, 256, 1 << 20),
        (int) n.bytes("maxHeaderSize", DEFAULT_MAX_HEADER_SIZE),
        (int) n.integer("maxHeaderCount", DEFAULT_MAX_HEADER_COUNT, 1, 10_000),
        n.bytes("maxBodySize", 0),
        n.duration("headerReadTimeout", DEFAULT_HEADER_READ_TIMEOUT));
  }
}
