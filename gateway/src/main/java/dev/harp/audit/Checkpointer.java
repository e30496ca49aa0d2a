package dev.harp.audit;

import dev.harp.audit.store.AuditStore;
import dev.harp.audit.store.StoredCheckpoint;
import dev.harp.audit.store.TreeHead;
import dev.harp.audit.tlog.Checkpoint;
import dev.harp.audit.tlog.NoteSignature;
import dev.harp.audit.tlog.NoteSigner;
import dev.harp.audit.tlog.NoteVerifier;
import dev.harp.audit.tlog.ProofException;
import dev.harp.audit.tlog.SignedNote;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signs checkpoints of this node's log and gathers cosignatures (C2SP {@code tlog-cosignature/v1}) from the other
 * nodes' witnesses, as C2SP's witness protocol does it: each request carries the checkpoint and a consistency proof
 * from the size that witness last cosigned; a witness that remembers another size answers 409 with it, and the
 * request is made again from there. A checkpoint is final once {@code quorum} distinct trusted keys vouch for it, the
 * log's own signature included. Runs on one context: {@link #round} is never re-entered.
 */
final class Checkpointer {

  private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

  private final Vertx vertx;
  private final AuditStore store;
  private final AuditKeys keys;
  private final KeyDirectory directory;
  private final int quorum;
  private final long witnessTimeoutMs;
  /** What each witness (by node) last cosigned for this log: where the next consistency proof starts. */
  private final Map<String, Long> witnessed = new HashMap<>();
  private Current current;

  /** The checkpoint being cosigned: its body, the log's own signature, and the cosignatures so far by key name. */
  private static final class Current {
    final Checkpoint checkpoint;
    final String body;
    final NoteSignature own;
    final Map<String, NoteSignature> cosignatures = new LinkedHashMap<>();
    boolean isFinal;

    Current(Checkpoint checkpoint, NoteSignature own) {
      this.checkpoint = checkpoint;
      this.body = checkpoint.body();
      this.own = own;
    }
  }

  Checkpointer(Vertx vertx, AuditStore store, AuditKeys keys, KeyDirectory directory, int quorum,
               long witnessTimeoutMs) {
    this.vertx = vertx;
    this.store = store;
    this.keys = keys;
    this.directory = directory;
    this.quorum = quorum;
    this.witnessTimeoutMs = witnessTimeoutMs;
  }

  /**
   * One round: a new checkpoint if the log grew, then cosignature requests to the witnesses that have not cosigned
   * it yet, then the note saved with every signature it has and whether it is final.
   */
  Future<Void> round() {
    return vertx.executeBlocking(() -> {
      directory.refresh();
      return store.head();
    }).compose(head -> {
      if (head.size() == 0) {
        return Future.succeededFuture();
      }
      Current c = current;
      Future<Void> saved = Future.succeededFuture();
      if (c == null || c.checkpoint.size() != head.size()) {
        c = sign(head);
        current = c;
        // Stored (fsynced) before any witness sees it: a node that lost leaves it had signed for would reuse their
        // indexes and contradict its own checkpoint.
        saved = save(c);
      } else if (c.isFinal && allCosigned(c)) {
        return Future.succeededFuture();
      }
      Current round = c;
      return saved.compose(v -> cosign(round));
    });
  }

  private Future<Void> cosign(Current round) {
    List<Future<Void>> asks = new ArrayList<>();
    for (KeyDirectory.Entry witness : directory.others()) {
      if (!round.cosignatures.containsKey(witness.witness().name())) {
        asks.add(ask(witness, round, true).recover(err -> {
          LOG.debug("witness {} did not cosign {} at {}: {}", witness.node(), keys.origin(),
              round.checkpoint.size(), err.getMessage());
          return Future.succeededFuture();
        }));
      }
    }
    return Future.join(asks).compose(v -> save(round));
  }

  private boolean allCosigned(Current c) {
    return directory.others().stream().allMatch(w -> c.cosignatures.containsKey(w.witness().name()));
  }

  private Current sign(TreeHead head) {
    Checkpoint checkpoint = new Checkpoint(keys.origin(), head.size(), head.root(), List.of());
    return new Current(checkpoint, keys.log().sign(checkpoint.body()));
  }

  private Future<Void> ask(KeyDirectory.Entry witness, Current c, boolean mayRetry) {
    long from = Math.min(witnessed.getOrDefault(witness.node(), 0L), c.checkpoint.size());
    return vertx.executeBlocking(() -> store.consistencyProof(from, c.checkpoint.size())).compose(proof -> {
      JsonArray hashes = new JsonArray();
      proof.forEach(h -> hashes.add(Base64.getEncoder().encodeToString(h)));
      JsonObject request = new JsonObject().put("note", note(c, List.of(c.own)))
          .put("oldSize", from).put("proof", hashes);
      return vertx.eventBus().<JsonObject>request(AuditAddresses.witness(witness.node()), request,
          new DeliveryOptions().setSendTimeout(witnessTimeoutMs));
    }).compose(reply -> {
      NoteSignature cosignature = Witness.signatureOf(reply.body());
      NoteVerifier key = directory.trusted(witness.witness().name(), NoteSigner.Role.COSIGNER);
      if (key == null || !cosignature.name().equals(key.name()) || !key.verify(c.body, cosignature)) {
        return Future.failedFuture("its cosignature does not verify with its trusted key");
      }
      c.cosignatures.put(key.name(), cosignature);
      witnessed.put(witness.node(), c.checkpoint.size());
      return Future.<Void>succeededFuture();
    }).recover(err -> {
      if (mayRetry && err instanceof ReplyException re && re.failureCode() == Witness.CONFLICT) {
        long theirs = Long.parseLong(re.getMessage());
        if (theirs > c.checkpoint.size()) {
          LOG.error("witness {} has cosigned size {} of {}, more than this log holds ({}): this node's log lost "
              + "records it had published", witness.node(), theirs, keys.origin(), c.checkpoint.size());
          return Future.failedFuture(err);
        }
        witnessed.put(witness.node(), theirs);
        return ask(witness, c, false);
      }
      return Future.failedFuture(err);
    });
  }

  private Future<Void> save(Current c) {
    List<NoteSignature> signatures = new ArrayList<>();
    signatures.add(c.own);
    signatures.addAll(c.cosignatures.values());
    int vouching = 1 + c.cosignatures.size(); // cosignatures were each checked against a distinct trusted key
    boolean wasFinal = c.isFinal;
    c.isFinal = vouching >= quorum;
    String note = note(c, signatures);
    return vertx.executeBlocking(() -> {
      store.saveCheckpoint(c.checkpoint.size(), note, c.isFinal);
      return null;
    }).onSuccess(v -> {
      if (!wasFinal && c.isFinal) {
        LOG.debug("checkpoint {} of {} is final: {} of {} required", c.checkpoint.size(), keys.origin(), vouching,
            quorum);
      }
    }).mapEmpty();
  }

  private static String note(Current c, List<NoteSignature> signatures) {
    return new SignedNote(c.body, signatures).encode();
  }

  /** Picks up the last checkpoint this node signed (a restart): its cosignatures stand if the log has not grown. */
  void resume(StoredCheckpoint last) {
    try {
      SignedNote note = SignedNote.parse(last.note());
      Checkpoint checkpoint = Checkpoint.parse(note.text());
      NoteSignature own = null;
      Current c = null;
      for (NoteSignature s : note.signatures()) {
        if (s.name().equals(keys.origin()) && keys.log().verifier().verify(note.text(), s)) {
          own = s;
          c = new Current(checkpoint, own);
        }
      }
      if (c == null) {
        LOG.warn("the last stored checkpoint of {} is not signed by this node's key; a new one will be", keys.origin());
        return;
      }
      for (NoteSignature s : note.signatures()) {
        if (s != own) {
          c.cosignatures.put(s.name(), s);
        }
      }
      c.isFinal = last.isFinal();
      current = c;
    } catch (ProofException e) {
      LOG.warn("the last stored checkpoint of {} cannot be read ({}); a new one will be signed", keys.origin(),
          e.getMessage());
    }
  }
}
