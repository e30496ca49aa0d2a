package dev.harp.audit.store;

import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A node's audit trail: the records of completed transactions, the Merkle log over them, the checkpoints it signed
 * and the ones it witnessed. {@link SqliteAuditStore} keeps it in an embedded database; a replicated SQL backend can
 * implement the same contract.
 * <p>
 * Threads: {@link #offer}, {@link #head} and {@link #stats} may be called anywhere, event loops included (they never
 * block). Everything else may block on storage and must run on a worker.
 */
public interface AuditStore extends AutoCloseable {

  /**
   * Queues a record for writing. Never blocks. False when the queue is full or the store is closed: the record is
   * shed, and counted in {@link AuditStats#shed()}.
   */
  boolean offer(AuditRecord record);

  /** The committed log: only leaves whose records are durable in the store are ever in it. */
  TreeHead head();

  AuditStats stats();

  /**
   * Waits until every record accepted before the call is committed (or counted as failed), cutting the commit window
   * short. False if that took longer than {@code timeout}.
   */
  boolean flush(Duration timeout) throws InterruptedException;

  /** RFC 9162 inclusion proof of leaf {@code index} in the tree of the first {@code size} leaves. */
  List<byte[]> inclusionProof(long index, long size);

  /** RFC 9162 consistency proof between the trees of {@code oldSize} and {@code newSize} leaves. */
  List<byte[]> consistencyProof(long oldSize, long newSize);

  /**
   * Stores a checkpoint this node signed over its own log, replacing the one of the same size (the note grows as
   * cosignatures arrive; once final it stays final). The note's size and root must be this log's, else
   * IllegalArgumentException. Durable against power loss on return, together with every leaf it covers: save before
   * publishing a checkpoint, so a restarted node can never contradict one it gave out.
   */
  void saveCheckpoint(long size, String signedNote, boolean isFinal);

  Optional<StoredCheckpoint> latestCheckpoint();

  Optional<StoredCheckpoint> latestFinal();

  Optional<StoredCheckpoint> checkpoint(long size);

  /** The latest checkpoint of {@code origin}'s log that this node cosigned. */
  Optional<Witnessed> witnessed(String origin);

  /**
   * Remembers a cosigned checkpoint of another log. False (and nothing stored) when a larger one is already stored
   * for that origin: a witness's memory of a log never goes back.
   */
  boolean saveWitnessed(String origin, long size, byte[] root, String note);

  /** {@code {"matched": n, "items": [summary, ...]}}, newest first; see {@link AuditQuery}. */
  JsonObject search(AuditQuery query);

  /** The stored record with {@code "index"}, and a {@code "preview"} of each captured body. */
  Optional<JsonObject> detail(long index);

  /** {@link #detail} of the newest record with this request id. */
  Optional<JsonObject> detailByRequestId(String requestId);

  /**
   * A {@code harp-audit-bundle/v1} of the records that started within {@code [fromMillis, toMillis]} (and those
   * between them in the log), as far as the latest final checkpoint covers them; {@code "pending"} counts the rest.
   */
  JsonObject exportBundle(long fromMillis, long toMillis);

  /** A {@code harp-audit-bundle/v1} of one record; empty when there is no such record (never written, or pruned). */
  Optional<JsonObject> exportReceipt(long index);

  /** Writes what is queued (a bounded wait), then closes. Records offered afterwards are shed. */
  @Override
  void close();
}
