package dev.harp.audit;

import dev.harp.audit.store.AuditStore;
import dev.harp.audit.store.Witnessed;
import dev.harp.audit.tlog.Checkpoint;
import dev.harp.audit.tlog.MerkleProofs;
import dev.harp.audit.tlog.NoteSignature;
import dev.harp.audit.tlog.NoteSigner;
import dev.harp.audit.tlog.NoteVerifier;
import dev.harp.audit.tlog.ProofException;
import dev.harp.audit.tlog.SignedNote;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * This node as a witness of the other nodes' logs: it cosigns a checkpoint only if the log's own trusted key signed
 * it and a consistency proof links it to the last checkpoint of that log it cosigned (remembered in its own store,
 * so across restarts too). Two different checkpoints of one size, or a proof that fails, is a fork: refused, logged,
 * counted and published on {@link AuditAddresses#FORKS}. Requests of one origin are handled one after the other.
 */
final class Witness {

  private static final Logger LOG = LoggerFactory.getLogger(Witness.class);
  /** The reply code for "I last cosigned another size": the message is that size. As C2SP's protocol's 409. */
  static final int CONFLICT = 409;
  static final int REFUSED = 403;
  static final int BAD_REQUEST = 400;

  private final Vertx vertx;
  private final String self;
  private final AuditStore store;
  private final AuditKeys keys;
  private final KeyDirectory directory;
  private final Counter cosigned;
  private final MeterRegistry registry;
  private final Map<String, Future<Void>> queues = new HashMap<>();
  private final List<JsonObject> forks = new CopyOnWriteArrayList<>();

  Witness(Vertx vertx, String self, AuditStore store, AuditKeys keys, KeyDirectory directory, MeterRegistry registry) {
    this.vertx = vertx;
    this.self = self;
    this.store = store;
    this.keys = keys;
    this.directory = directory;
    this.registry = registry;
    this.cosigned = Counter.builder("harp_audit_cosignatures").description("Checkpoints of other nodes this node "
        + "cosigned as a witness").register(registry);
  }

  /** The forks this witness refused since it started, newest last. */
  List<JsonObject> forks() {
    return List.copyOf(forks);
  }

  void handle(Message<JsonObject> m) {
    SignedNote note;
    Checkpoint checkpoint;
    try {
      note = SignedNote.parse(m.body().getString("note", ""));
      checkpoint = Checkpoint.parse(note.text());
    } catch (ProofException | RuntimeException e) {
      m.fail(BAD_REQUEST, "not a checkpoint: " + e.getMessage());
      return;
    }
    String origin = checkpoint.origin();
    Future<Void> previous = queues.getOrDefault(origin, Future.succeededFuture());
    Future<Void> next = previous.eventually(() -> check(m, note, checkpoint));
    queues.put(origin, next);
    next.onComplete(ar -> queues.remove(origin, next));
  }

  private Future<Void> check(Message<JsonObject> m, SignedNote note, Checkpoint checkpoint) {
    NoteVerifier logKey = directory.trusted(checkpoint.origin(), NoteSigner.Role.LOG);
    if (logKey == null) {
      return vertx.executeBlocking(() -> {
        directory.refresh();
        return null;
      }).compose(v -> verifySigned(m, note, checkpoint, directory.trusted(checkpoint.origin(), NoteSigner.Role.LOG)));
    }
    return verifySigned(m, note, checkpoint, logKey);
  }

  private Future<Void> verifySigned(Message<JsonObject> m, SignedNote note, Checkpoint checkpoint, NoteVerifier key) {
    if (key == null) {
      m.fail(REFUSED, "no trusted log key for origin " + checkpoint.origin());
      return Future.succeededFuture();
    }
    if (note.signatures().stream().noneMatch(s -> key.verify(note.text(), s))) {
      m.fail(REFUSED, "the checkpoint is not signed by " + key.name() + "'s trusted key");
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> store.witnessed(checkpoint.origin()).orElse(null))
        .compose(last -> decide(m, checkpoint, last));
  }

  private Future<Void> decide(Message<JsonObject> m, Checkpoint checkpoint, Witnessed last) {
    long have = last == null ? 0 : last.size();
    if (last != null && checkpoint.size() == have) {
      if (!Arrays.equals(last.root(), checkpoint.rootHash())) {
        fork(m, checkpoint, "a second checkpoint of size " + have + " with another root");
        return Future.succeededFuture();
      }
      return cosign(m, checkpoint);
    }
    long oldSize = m.body().getLong("oldSize", -1L);
    if (checkpoint.size() < have || oldSize != have) {
      m.fail(CONFLICT, Long.toString(have));
      return Future.succeededFuture();
    }
    if (last != null) {
      try {
        MerkleProofs.verifyConsistency(have, checkpoint.size(), last.root(), checkpoint.rootHash(),
            hashes(m.body().getJsonArray("proof", new JsonArray())));
      } catch (ProofException | RuntimeException e) {
        fork(m, checkpoint, "not consistent with the checkpoint of size " + have + " it cosigned: "
            + e.getMessage());
        return Future.succeededFuture();
      }
    }
    return cosign(m, checkpoint);
  }

  private Future<Void> cosign(Message<JsonObject> m, Checkpoint checkpoint) {
    String body = checkpoint.body();
    NoteSignature signature = keys.witness().cosign(body, System.currentTimeMillis() / 1000);
    String note = new SignedNote(body, List.of(signature)).encode();
    return vertx.executeBlocking(() -> {
      store.saveWitnessed(checkpoint.origin(), checkpoint.size(), checkpoint.rootHash(), note);
      return null;
    }).onSuccess(v -> {
      cosigned.increment();
      m.reply(reply(signature));
    }).onFailure(err -> m.fail(500, "cannot record the cosignature: " + err.getMessage())).mapEmpty();
  }

  private void fork(Message<JsonObject> m, Checkpoint checkpoint, String why) {
    JsonObject event = new JsonObject().put("origin", checkpoint.origin()).put("size", checkpoint.size())
        .put("root", Base64.getEncoder().encodeToString(checkpoint.rootHash())).put("reason", why)
        .put("witness", self).put("ts", System.currentTimeMillis());
    forks.add(event);
    Counter.builder("harp_audit_forks").description("Checkpoints this witness refused as forks of a log")
        .tag("origin", checkpoint.origin()).register(registry).increment();
    LOG.error("audit fork: {} presented {}; refused to cosign", checkpoint.origin(), why);
    vertx.eventBus().publish(AuditAddresses.FORKS, event);
    m.fail(REFUSED, "fork: " + why);
  }

  private static List<byte[]> hashes(JsonArray proof) {
    List<byte[]> out = new ArrayList<>(proof.size());
    for (int i = 0; i < proof.size(); i++) {
      out.add(Base64.getDecoder().decode(proof.getString(i)));
    }
    return out;
  }

  static JsonObject reply(NoteSignature s) {
    return new JsonObject().put("name", s.name()).put("keyId", s.keyId())
        .put("signature", Base64.getEncoder().encodeToString(s.signature()));
  }

  static NoteSignature signatureOf(JsonObject reply) {
    return new NoteSignature(reply.getString("name"), reply.getInteger("keyId"),
        Base64.getDecoder().decode(reply.getString("signature")));
  }
}
