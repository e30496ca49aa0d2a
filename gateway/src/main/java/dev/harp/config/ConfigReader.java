package dev.harp.config;

import dev.harp.config.HarpConfig.AdminConfig;
import dev.harp.config.HarpConfig.AdminToken;
import dev.harp.config.HarpConfig.AdminUser;
import dev.harp.config.HarpConfig.EventsConfig;
import dev.harp.config.HarpConfig.NodeConfig;
import dev.harp.engine.BuiltinFilters;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the top-level sections of a config tree and checks what spans sections (port clashes). */
final class ConfigReader {

  static final int DEFAULT_ADMIN_PORT = 4080;
  static final int DEFAULT_CLUSTER_PORT = 5701;
  static final Duration DEFAULT_DRAIN = Duration.ofSeconds(30);
  static final int DEFAULT_EVENTS_PER_SECOND = 1000;
  static final int DEFAULT_RETAIN = 5000;
  static final Duration DEFAULT_RETAIN_FOR = Duration.ofMinutes(15);
  static final Duration DEFAULT_LOGIN_CACHE_TTL = Duration.ofSeconds(60);
  private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern LOGIN_NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

  private final ConfigProblems problems;
  private final String source;

  private ClassLoader plugins = ConfigReader.class.getClassLoader();

  /** Filter factories come from {@code loader} (the plugins' class loader over HARP's own). */
  ConfigReader plugins(ClassLoader loader) {
    this.plugins = loader;
    return this;
  }

  ConfigReader(ConfigProblems problems, String source) {
    this.problems = problems;
    this.source = source;
  }

  HarpConfig read(ConfigNode root) {
    root.allowOnly(Set.of("node", "cluster", "admin", "events", "consumers", "audit", "proxies"));
    AdminConfig admin = admin(root.object("admin"));
    NodeConfig node = node(root.object("node"), admin);
    Optional<ClusterConfig> cluster = cluster(root.object("cluster"));
    EventsConfig events = events(root.object("events"));
    List<HarpConfig.ConsumerConfig> consumers = consumers(root);
    Optional<AuditConfig> audit = new AuditConfigReader(node.name(), cluster.isPresent()).read(root.object("audit"));
    List<ProxyConfig> proxies = new ProxyReader(plugins)
        .offByDefault(audit.isPresent() ? Set.of() : Set.of(BuiltinFilters.AUDIT)).readAll(root);
    checkPorts(admin, cluster, proxies);
    return new HarpConfig(node, cluster, admin, events, consumers, audit, proxies, source);
  }

  private AdminConfig admin(ConfigNode n) {
    n.allowOnly(Set.of("bind", "port", "users", "tokens", "openHealth", "openMetrics", "loginCacheTtl"));
    String bind = n.parsed("bind", "127.0.0.1", Addresses::requireIp);
    Set<String> names = new HashSet<>();
    List<AdminUser> users = new ArrayList<>();
    for (ConfigNode u : n.objects("users")) {
      u.allowOnly(Set.of("name", "passwordHash"));
      String name = loginName(u, names);
      String hash = u.requiredString("passwordHash");
      if (hash != null && !BCRYPT.matcher(hash).matches()) {
        // The value is not echoed: it may be a password pasted by mistake.
        u.problem("passwordHash",
            "must be a bcrypt hash ($2a$/$2b$/$2y$, 60 characters; `harp hash-password` makes one)");
        hash = null;
      }
      if (name != null && hash != null) {
        users.add(new AdminUser(name, hash));
      }
    }
    List<AdminToken> tokens = new ArrayList<>();
    for (ConfigNode t : n.objects("tokens")) {
      t.allowOnly(Set.of("name", "sha256"));
      String name = loginName(t, names);
      String hash = t.requiredString("sha256");
      if (hash != null && !SHA256_HEX.matcher(hash).matches()) {
        t.problem("sha256",
            "must be the 64 hex digits of the token's SHA-256 (`harp new-token` makes a token and its hash)");
        hash = null;
      }
      if (name != null && hash != null) {
        tokens.add(new AdminToken(name, hash.toLowerCase(java.util.Locale.ROOT)));
      }
    }
    return new AdminConfig(bind, n.port("port", DEFAULT_ADMIN_PORT), users, tokens, n.bool("openHealth", true),
        n.bool("openMetrics", false), n.duration("loginCacheTtl", DEFAULT_LOGIN_CACHE_TTL));
  }

  private static String loginName(ConfigNode n, Set<String> seen) {
    return loginName(n, "name", seen);
  }

  /** A name that goes into logs, metrics tags and URLs: short, printable, unique among {@code seen}. */
  private static String loginName(ConfigNode n, String key, Set<String> seen) {
    String name = n.requiredString(key);
    if (name == null) {
      return null;
    }
    if (!LOGIN_NAME.matcher(name).matches()) {
      n.problem(key, "use 1-64 letters, digits, '.', '_', '@' or '-'");
      return null;
    }
    if (!seen.add(name)) {
      n.problem(key, "'" + name + "' is used twice");
      return null;
    }
    return name;
  }

  private static List<HarpConfig.ConsumerConfig> consumers(ConfigNode root) {
    List<HarpConfig.ConsumerConfig> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    for (ConfigNode c : root.objects("consumers")) {
      c.allowOnly(Set.of("name", "groups", "keys"));
      String name = loginName(c, names);
      List<HarpConfig.ConsumerKey> keys = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      for (ConfigNode k : c.objects("keys")) {
        k.allowOnly(Set.of("id", "sha256"));
        String id = loginName(k, "id", ids);
        String hash = k.requiredString("sha256");
        if (hash != null && !SHA256_HEX.matcher(hash).matches()) {
          k.problem("sha256",
              "must be the 64 hex digits of the key's SHA-256 (`harp new-token` makes a key and its hash)");
          hash = null;
        } else if (hash != null && !hashes.add(hash.toLowerCase(java.util.Locale.ROOT))) {
          k.problem("sha256", "the same key is given twice");
          hash = null;
        }
        if (id != null && hash != null) {
          keys.add(new HarpConfig.ConsumerKey(id, hash.toLowerCase(java.util.Locale.ROOT)));
        }
      }
      if (name != null) {
        out.add(new HarpConfig.ConsumerConfig(name, c.strings("groups"), keys));
      }
    }
    return out;
  }

  private NodeConfig node(ConfigNode n, AdminConfig admin) {
    n.allowOnly(Set.of("name", "drainTimeout", "eventLoops"));
    String name = n.string("name", null);
    if (name == null) {
      name = localHostName() + ":" + admin.port();
    }
    int loops = (int) n.integer("eventLoops", Runtime.getRuntime().availableProcessors(), 1, 1024);
    return new NodeConfig(name, n.duration("drainTimeout", DEFAULT_DRAIN), loops);
  }

  private Optional<ClusterConfig> cluster(ConfigNode n) {
    if (!n.isPresent()) {
      return Optional.empty();
    }
    n.allowOnly(Set.of("name", "interface", "port", "members", "eventBusPort"));
    String iface = n.parsed("interface", "127.0.0.1", Addresses::requireIp);
    int port = n.port("port", DEFAULT_CLUSTER_PORT);
    List<String> members = n.strings("members");
    for (int i = 0; i < members.size(); i++) {
      try {
        Addresses.requireHostPort(members.get(i));
      } catch (IllegalArgumentException e) {
        problems.add(n.pathOf("members") + "[" + i + "]", e.getMessage());
      }
    }
    if (members.isEmpty()) {
      members = List.of(iface + ":" + port);
    }
    String name = n.string("name", "harp");
    return Optional.of(new ClusterConfig(name, iface, port, members, n.port("eventBusPort", 0)));
  }

  private EventsConfig events(ConfigNode n) {
    n.allowOnly(Set.of("maxPerSecond", "retain", "retainFor"));
    return new EventsConfig((int) n.integer("maxPerSecond", DEFAULT_EVENTS_PER_SECOND, 0, 1_000_000),
        (int) n.integer("retain", DEFAULT_RETAIN, 0, 1_000_000), n.duration("retainFor", DEFAULT_RETAIN_FOR));
  }

  private void checkPorts(AdminConfig admin, Optional<ClusterConfig> cluster, List<ProxyConfig> proxies) {
    Map<Integer, String> owners = new LinkedHashMap<>();
    claim(owners, admin.port(), "admin.port");
    cluster.ifPresent(c -> {
      claim(owners, c.port(), "cluster.port");
      if (c.eventBusPort() != 0) {
        claim(owners, c.eventBusPort(), "cluster.eventBusPort");
      }
    });
    for (int i = 0; i < proxies.size(); i++) {
      claim(owners, proxies.get(i).port(), "proxies[" + i + "].port");
    }
  }

  private void claim(Map<Integer, String> owners, int port, String path) {
    if (port == 0) {
      return; // 0 asks the OS for a free port: never a clash
    }
    String owner = owners.putIfAbsent(port, path);
    if (owner != null) {
      problems.add(path, "port " + port + " is already used by " + owner);
    }
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "harp";
    }
  }

}
