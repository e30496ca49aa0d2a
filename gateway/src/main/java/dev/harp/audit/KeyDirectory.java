package dev.harp.audit;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.harp.audit.tlog.NoteSigner;
import dev.harp.audit.tlog.NoteVerifier;
import dev.harp.audit.tlog.ProofException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is in the audit cluster and which keys to trust. Every node publishes its log and witness verifier keys in the
 * Hazelcast map {@code harp.audit.keys} (node name → keys). Trust: the keys pinned in {@code audit.trustedKeys} when
 * there are any, and nothing else; otherwise the keys the nodes publish, the first seen per name kept for this
 * process's life (a later, different key for the same name is refused and logged). Blocking Hazelcast calls: call
 * {@link #publish} and {@link #refresh} from a worker; lookups read a snapshot and never block.
 */
final class KeyDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(KeyDirectory.class);
  static final String MAP = "harp.audit.keys";

  /** One node's entry: its name, log origin and the two verifier keys. */
  record Entry(String node, String origin, NoteVerifier log, NoteVerifier witness) {
  }

  private final String self;
  private final IMap<String, String> map;
  private final Map<String, NoteVerifier> pinned = new TreeMap<>();
  private final Map<String, NoteVerifier> firstSeen = new ConcurrentHashMap<>();
  private volatile Map<String, Entry> nodes = Map.of();

  KeyDirectory(String self, HazelcastInstance hazelcast, List<String> trustedKeys) throws ProofException {
    this.self = self;
    this.map = hazelcast.getMap(MAP);
    for (String k : trustedKeys) {
      NoteVerifier v = NoteVerifier.parse(k);
      pinned.put(v.name(), v);
    }
  }

  void publish(AuditKeys keys) {
    map.put(self, new JsonObject().put("origin", keys.origin()).put("log", keys.log().verifier().encode())
        .put("witness", keys.witness().verifier().encode()).encode());
  }

  /** Re-reads the map (a worker). */
  void refresh() {
    Map<String, Entry> fresh = new TreeMap<>();
    for (Map.Entry<String, String> e : map.entrySet()) {
      try {
        JsonObject j = new JsonObject(e.getValue());
        Entry entry = new Entry(e.getKey(), j.getString("origin"), NoteVerifier.parse(j.getString("log")),
            NoteVerifier.parse(j.getString("witness")));
        fresh.put(e.getKey(), entry);
      } catch (RuntimeException | ProofException ex) {
        LOG.warn("audit keys of node {} cannot be read, ignored: {}", e.getKey(), ex.toString());
      }
    }
    nodes = fresh;
  }

  /** The other nodes, by name. */
  List<Entry> others() {
    return nodes.values().stream().filter(e -> !e.node().equals(self)).toList();
  }

  List<Entry> all() {
    return List.copyOf(nodes.values());
  }

  /** The trusted key with this name and role, or null. */
  NoteVerifier trusted(String name, NoteSigner.Role role) {
    NoteVerifier v = trustedByName(name);
    return v != null && v.role() == role ? v : null;
  }

  private NoteVerifier trustedByName(String name) {
    if (!pinned.isEmpty()) {
      return pinned.get(name);
    }
    NoteVerifier published = null;
    for (Entry e : nodes.values()) {
      if (e.log().name().equals(name)) {
        published = e.log();
      } else if (e.witness().name().equals(name)) {
        published = e.witness();
      }
    }
    if (published == null) {
      return firstSeen.get(name);
    }
    NoteVerifier first = firstSeen.putIfAbsent(name, published);
    if (first != null && !first.encode().equals(published.encode())) {
      LOG.error("audit key '{}' changed in the cluster ({} → {}): the first one seen stays trusted; pin keys with "
          + "audit.trustedKeys", name, first.encode(), published.encode());
      return first;
    }
    return published;
  }

  /** Every trusted key as a keys file for {@code harp audit verify}: one verifier key per line, then the quorum. */
  String keysFile(int quorum) {
    StringBuilder out = new StringBuilder("# HARP audit keys: log keys sign checkpoints, witness keys cosign them\n");
    Set<String> names = new java.util.TreeSet<>();
    if (!pinned.isEmpty()) {
      pinned.values().forEach(v -> names.add(v.encode()));
    } else {
      for (Entry e : nodes.values()) {
        NoteVerifier log = trustedByName(e.log().name());
        NoteVerifier witness = trustedByName(e.witness().name());
        if (log != null) {
          names.add(log.encode());
        }
        if (witness != null) {
          names.add(witness.encode());
        }
      }
    }
    names.forEach(n -> out.append(n).append('\n'));
    return out.append("quorum ").append(quorum).append('\n').toString();
  }
}
