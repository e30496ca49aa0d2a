package dev.harp.config;

import dev.harp.audit.tlog.NoteVerifier;
import dev.harp.audit.tlog.ProofException;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the top-level {@code audit:} block; every mistake is reported with its key path. */
final class AuditConfigReader {

  private final String nodeName;
  private final boolean clustered;

  AuditConfigReader(String nodeName, boolean clustered) {
    this.nodeName = nodeName;
    this.clustered = clustered;
  }

  Optional<AuditConfig> read(ConfigNode n) {
    if (!n.isPresent()) {
      return Optional.empty();
    }
    n.allowOnly(Set.of("enabled", "dataDir", "quorum", "checkpointInterval", "commitWindow", "queue", "retainFor",
        "maxSize", "witnessTimeout", "trustedKeys"));
    if (!n.bool("enabled", true)) {
      return Optional.empty();
    }
    Path dataDir = n.parsed("dataDir", defaultDataDir(), s -> {
      try {
        return Path.of(s);
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException("not a path: " + e.getMessage());
      }
    });
    // Standalone, the node's own signature is all there is; in a cluster, one other node must vouch too.
    int quorum = (int) n.integer("quorum", clustered ? 2 : 1, 1, 64);
    Duration interval = positive(n, "checkpointInterval", Duration.ofSeconds(5));
    Duration commitWindow = positive(n, "commitWindow", Duration.ofMillis(100));
    int queue = (int) n.integer("queue", 10_000, 1, 10_000_000);
    Duration retainFor = positive(n, "retainFor", Duration.ofDays(30));
    long maxSize = n.bytes("maxSize", 1L << 30);
    if (maxSize < (1L << 20)) {
      n.problem("maxSize", "at least 1MiB");
    }
    Duration witnessTimeout = positive(n, "witnessTimeout", Duration.ofSeconds(2));
    List<String> keys = n.strings("trustedKeys");
    for (int i = 0; i < keys.size(); i++) {
      try {
        NoteVerifier.parse(keys.get(i));
      } catch (ProofException e) {
        n.problems().add(n.pathOf("trustedKeys") + "[" + i + "]", "not a verifier key: " + e.getMessage());
      }
    }
    return Optional.of(new AuditConfig(dataDir, quorum, interval, commitWindow, queue, retainFor, maxSize,
        witnessTimeout, keys));
  }

  /** {@code data/<node name>}, with what a file name cannot hold replaced (a default name is host:port). */
  private Path defaultDataDir() {
    return Path.of("data", nodeName.replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  private static Duration positive(ConfigNode n, String key, Duration def) {
    Duration d = n.duration(key, def);
    if (d.isZero() || d.isNegative()) {
      n.problem(key, "must be greater than 0");
      return def;
    }
    return d;
  }
}
