package dev.harp.audit.store;

import dev.harp.audit.tlog.MerkleLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The audit store in an embedded SQLite database, {@code <dataDir>/audit.db}: one writer thread fed by a bounded queue
 * writes records in batched transactions and keeps the Merkle log; a few read connections serve searches, exports and
 * proofs beside it (WAL). See {@link AuditDatabase} for durability, {@link OpenCheck} for what opening verifies,
 * {@link Retention} for pruning.
 */
public final class SqliteAuditStore implements AuditStore {

  /** How long {@link #close()} lets the writer drain the queue before it stops after its current batch. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
  /** How long a save waits for the writer thread to run it. */
  static final Duration TASK_WAIT = Duration.ofSeconds(30);
  static final int READ_CONNECTIONS = 4;
  /**
   * The Merkle log's leaf reads have their own connections: an export reads leaves (for proofs) while it holds a
   * snapshot connection, and sharing one pool would let enough concurrent exports wait on each other for ever.
   */
  static final int LEAF_CONNECTIONS = 2;

  private final Connection writerConnection;
  private final ReadPool pool;
  private final ReadPool leafPool;
  private final MerkleLog log;
  private final RecordQueue queue;
  private final WriterTasks tasks;
  private final AuditMetrics metrics;
  private final AuditWriter writer;
  private final BundleExport export;
  private final AuditStoreSettings settings;
  private volatile boolean closed;

  private SqliteAuditStore(Connection writerConnection, ReadPool pool, ReadPool leafPool, MerkleLog log,
                           AuditStoreSettings settings, UnaryOperator<AuditRecord> redact, MeterRegistry registry)
      throws SQLException {
    this.writerConnection = writerConnection;
    this.pool = pool;
    this.leafPool = leafPool;
    this.log = log;
    this.settings = settings;
    this.queue = new RecordQueue(settings.queueCapacity());
    this.tasks = new WriterTasks(queue::wake);
    this.metrics = new AuditMetrics(registry, queue::size, () -> head().size());
    this.writer = new AuditWriter(writerConnection, queue, tasks, log, redact, metrics, settings);
    this.export = new BundleExport(log);
  }

  /** Meters go to a private registry: {@link #stats()} still has every count. */
  public static SqliteAuditStore open(Path dataDir, AuditStoreSettings settings, UnaryOperator<AuditRecord> redact) {
    return open(dataDir, settings, redact, new SimpleMeterRegistry());
  }

  /**
   * Opens (or creates) the store, rebuilds the Merkle log and checks it (see {@link OpenCheck}), and starts the
   * writer. Blocks: call it from a worker or at startup.
   *
   * @param redact applied by the writer thread to every record before it is encoded; it must not return null
   * @throws AuditIntegrityException when the stored log does not check out
   * @throws AuditStoreException     when the database cannot be opened
   */
  public static SqliteAuditStore open(Path dataDir, AuditStoreSettings settings, UnaryOperator<AuditRecord> redact,
                                      MeterRegistry registry) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new AuditStoreException("cannot create the audit data directory " + dataDir, e);
    }
    Connection w = null;
    ReadPool pool = new ReadPool(dataDir, READ_CONNECTIONS);
    ReadPool leafPool = new ReadPool(dataDir, LEAF_CONNECTIONS);
    try {
      w = AuditDatabase.openWriter(dataDir);
      MerkleLog log = OpenCheck.rebuild(w, new LeafTable(leafPool));
      OpenCheck.checkLatestCheckpoint(w, log);
      OpenCheck.checkRecentRecords(w, log.size(), OpenCheck.RECENT_RECORDS);
      SqliteAuditStore store = new SqliteAuditStore(w, pool, leafPool, log, settings, redact, registry);
      store.writer.start();
      return store;
    } catch (SQLException | RuntimeException e) {
      pool.close();
      leafPool.close();
      closeQuietly(w);
      if (e instanceof RuntimeException r) {
        throw r;
      }
      throw new AuditStoreException("cannot open " + dataDir.resolve(AuditDatabase.FILE) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public boolean offer(AuditRecord record) {
    if (closed || !queue.offer(record)) {
      metrics.shed.increment();
      return false;
    }
    return true;
  }

  @Override
  public TreeHead head() {
    return writer.head();
  }

  @Override
  public AuditStats stats() {
    return new AuditStats(metrics.written.sum(), metrics.shed.sum(), metrics.failed.sum(), metrics.pruned.sum(),
        queue.size(), head().size());
  }

  @Override
  public boolean flush(Duration timeout) throws InterruptedException {
    return writer.flush(queue.accepted(), timeout);
  }

  /** Runs retention now, until nothing is due; the number of records pruned. For tests and an admin action. */
  long pruneNow() {
    return tasks.call(c -> writer.pruneAll(), TASK_WAIT);
  }

  @Override
  public List<byte[]> inclusionProof(long index, long size) {
    long committed = head().size();
    if (index < 0 || index >= size || size > committed) {
      throw new IllegalArgumentException("no leaf " + index + " in a tree of " + size + " (committed: "
          + committed + ")");
    }
    return log.inclusionProof(index, size);
  }

  @Override
  public List<byte[]> consistencyProof(long oldSize, long newSize) {
    long committed = head().size();
    if (oldSize < 0 || oldSize > newSize || newSize > committed) {
      throw new IllegalArgumentException("no consistency proof from " + oldSize + " to " + newSize + " (committed: "
          + committed + ")");
    }
    return log.consistencyProof(oldSize, newSize);
  }

  @Override
  public void saveCheckpoint(long size, String signedNote, boolean isFinal) {
    CheckpointText text = CheckpointText.parse(signedNote);
    long committed = head().size();
    if (text.size() != size || size > committed) {
      throw new IllegalArgumentException("checkpoint note of size " + text.size() + " saved as size " + size
          + " (committed: " + committed + ")");
    }
    if (!Arrays.equals(text.root(), log.root(size))) {
      throw new IllegalArgumentException("the checkpoint's root is not this log's root at size " + size);
    }
    long now = settings.clock().millis();
    tasks.call(c -> {
      CheckpointTable.save(c, size, signedNote, isFinal, now);
      return null;
    }, TASK_WAIT);
  }

  @Override
  public Optional<StoredCheckpoint> latestCheckpoint() {
    return pool.read(c -> CheckpointTable.latest(c, false));
  }

  @Override
  public Optional<StoredCheckpoint> latestFinal() {
    return pool.read(c -> CheckpointTable.latest(c, true));
  }

  @Override
  public Optional<StoredCheckpoint> checkpoint(long size) {
    return pool.read(c -> CheckpointTable.at(c, size));
  }

  @Override
  public Optional<Witnessed> witnessed(String origin) {
    return pool.read(c -> CheckpointTable.witnessed(c, origin));
  }

  @Override
  public boolean saveWitnessed(String origin, long size, byte[] root, String note) {
    long now = settings.clock().millis();
    return tasks.call(c -> CheckpointTable.saveWitnessed(c, origin, size, root, note, now), TASK_WAIT);
  }

  @Override
  public JsonObject search(AuditQuery query) {
    return pool.snapshot(c -> AuditSearch.search(c, query));
  }

  @Override
  public Optional<JsonObject> detail(long index) {
    return pool.snapshot(c -> AuditSearch.detail(c, index));
  }

  @Override
  public Optional<JsonObject> detailByRequestId(String requestId) {
    return pool.snapshot(c -> {
      Optional<Long> index = AuditSearch.newestWithRequestId(c, requestId);
      return index.isEmpty() ? Optional.empty() : AuditSearch.detail(c, index.get());
    });
  }

  @Override
  public JsonObject exportBundle(long fromMillis, long toMillis) {
    return pool.snapshot(c -> export.range(c, fromMillis, toMillis));
  }

  @Override
  public Optional<JsonObject> exportReceipt(long index) {
    return pool.snapshot(c -> export.receipt(c, index));
  }

  /** The root of the first {@code size} committed leaves. For tests. */
  byte[] rootAt(long size) {
    if (size > head().size()) {
      throw new IllegalArgumentException("only " + head().size() + " leaves are committed");
    }
    return log.root(size);
  }

  /** Used pages of the database file, as retention measures them. For tests. */
  long usedBytes() {
    return tasks.call(c -> writer.retention().usedBytes(), TASK_WAIT);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writer.stop(CLOSE_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      pool.close();
      leafPool.close();
      closeQuietly(writerConnection);
      metrics.remove();
    }
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing: whatever was committed is in the WAL already
      }
    }
  }
}
