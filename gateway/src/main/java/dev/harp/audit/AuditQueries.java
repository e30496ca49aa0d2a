package dev.harp.audit;

import dev.harp.audit.store.AuditQuery;
import dev.harp.audit.store.AuditStore;
import dev.harp.audit.store.StoredCheckpoint;
import dev.harp.audit.tlog.NoteSignature;
import dev.harp.audit.tlog.ProofException;
import dev.harp.audit.tlog.SignedNote;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Base64;
import java.util.Optional;

/**
 * What a node answers about its own log on {@link AuditAddresses#queries}: its status (size, checkpoints and who
 * signed them, shed records, forks its witness refused), a search and one transaction's detail with its place in
 * the log. Store reads block, so they run on a worker; the answer is sent from there (the bus is thread-safe).
 */
final class AuditQueries {

  private final Vertx vertx;
  private final String node;
  private final AuditKeys keys;
  private final AuditStore store;
  private final Witness witness;
  private final int quorum;

  AuditQueries(Vertx vertx, String node, AuditKeys keys, AuditStore store, Witness witness, int quorum) {
    this.vertx = vertx;
    this.node = node;
    this.keys = keys;
    this.store = store;
    this.witness = witness;
    this.quorum = quorum;
  }

  void handle(Message<JsonObject> m) {
    JsonObject body = m.body() == null ? new JsonObject() : m.body();
    String op = body.getString("op", "");
    vertx.executeBlocking(() -> switch (op) {
      case "status" -> status();
      case "search" -> store.search(AuditQuery.from(body.getJsonObject("query", new JsonObject()))).put("node", node);
      case "detail" -> detail(body).orElse(null);
      default -> throw new IllegalArgumentException("unknown op '" + op + "'");
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        m.fail(ar.cause() instanceof IllegalArgumentException ? 400 : 500, ar.cause().getMessage());
      } else if (ar.result() == null) {
        m.fail(404, "no such transaction in the log of " + node);
      } else {
        m.reply(ar.result());
      }
    });
  }

  JsonObject status() {
    var head = store.head();
    var stats = store.stats();
    JsonObject out = new JsonObject().put("node", node).put("origin", keys.origin()).put("quorum", quorum)
        .put("size", head.size()).put("root", Base64.getEncoder().encodeToString(head.root()))
        .put("written", stats.written()).put("shed", stats.shed()).put("failed", stats.failed())
        .put("pruned", stats.pruned()).put("queued", stats.queueDepth())
        .put("forks", new JsonArray(witness.forks()));
    store.latestCheckpoint().ifPresent(c -> out.put("checkpoint", describe(c)));
    store.latestFinal().ifPresent(c -> out.put("final", describe(c)));
    return out;
  }

  /** A checkpoint's size, whether final, when saved, and the names of the keys that signed it. */
  static JsonObject describe(StoredCheckpoint c) {
    JsonArray signers = new JsonArray();
    try {
      for (NoteSignature s : SignedNote.parse(c.note()).signatures()) {
        signers.add(s.name());
      }
    } catch (ProofException e) {
      signers.add("(unreadable note: " + e.getMessage() + ")");
    }
    return new JsonObject().put("size", c.size()).put("final", c.isFinal()).put("savedAt", c.savedAt())
        .put("signers", signers);
  }

  private Optional<JsonObject> detail(JsonObject body) {
    Optional<JsonObject> d = body.getString("requestId") != null
        ? store.detailByRequestId(body.getString("requestId"))
        : store.detail(body.getLong("index", body.getLong("id", -1L)));
    return d.map(record -> {
      long index = record.getLong("index");
      Optional<StoredCheckpoint> fin = store.latestFinal();
      return record.put("log", new JsonObject().put("origin", keys.origin()).put("index", index)
          .put("final", fin.map(c -> c.size() > index).orElse(false))
          .put("finalSize", fin.map(StoredCheckpoint::size).orElse(0L)));
    });
  }
}
