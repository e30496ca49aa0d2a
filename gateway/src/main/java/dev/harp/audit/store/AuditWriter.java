package dev.harp.audit.store;

import dev.harp.audit.tlog.MerkleLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The one writer thread: takes a batch from the queue (waiting up to the commit window for it to fill), redacts,
 * gives each record the next log index, encodes, writes the batch in one transaction, commits, and only then appends
 * the leaf hashes to the Merkle log and publishes the new head, so {@link #head()} never shows an uncommitted leaf.
 * Between batches it runs {@link WriterTasks} and retention steps.
 * <p>
 * A batch whose transaction fails is counted as failed and its indexes are reused by the next one: the log stays
 * gapless. Records are lost that way only when the database itself fails; the count and the log say so.
 */
final class AuditWriter implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
  private static final long IDLE_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long FAILURE_PAUSE_MS = 1_000;
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Connection conn;
  private final RecordQueue queue;
  private final WriterTasks tasks;
  private final BatchWriter batches;
  private final Retention retention;
  private final MerkleLog log;
  private final UnaryOperator<AuditRecord> redact;
  private final AuditMetrics metrics;
  private final AuditStoreSettings settings;
  private final Thread thread;

  private final Object progress = new Object();
  private long processed; // records taken and written or counted as failed; guarded by progress
  private long flushTarget; // guarded by progress

  private volatile TreeHead head;
  private volatile boolean closing;
  private volatile boolean abandon;
  private long next;
  private long lastWarn = System.nanoTime() - WARN_EVERY_NANOS;

  AuditWriter(Connection conn, RecordQueue queue, WriterTasks tasks, MerkleLog log,
              UnaryOperator<AuditRecord> redact, AuditMetrics metrics, AuditStoreSettings settings)
      throws SQLException {
    this.conn = conn;
    this.queue = queue;
    this.tasks = tasks;
    this.batches = new BatchWriter(conn);
    this.retention = new Retention(conn, settings);
    this.log = log;
    this.redact = redact;
    this.metrics = metrics;
    this.settings = settings;
    this.next = log.size();
    this.head = new TreeHead(log.size(), log.root());
    this.thread = new Thread(this, "harp-audit-writer");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  TreeHead head() {
    return head;
  }

  Retention retention() {
    return retention;
  }

  @Override
  public void run() {
    List<AuditRecord> batch = new ArrayList<>(settings.batchMaxRecords());
    long nextRetention = System.nanoTime() + settings.retentionEvery().toNanos();
    boolean pruning = false; // a retention backlog: keep stepping between batches
    try {
      while (!abandon) {
        tasks.runAll(conn);
        if (closing && queue.size() == 0) {
          break;
        }
        takeBatch(batch, pruning ? System.nanoTime() : Math.min(nextRetention, System.nanoTime() + IDLE_TICK_NANOS));
        if (!batch.isEmpty()) {
          write(batch);
          batch.clear();
        }
        if (pruning || System.nanoTime() - nextRetention >= 0) {
          pruning = retentionStep() > 0;
          nextRetention = System.nanoTime() + settings.retentionEvery().toNanos();
        }
      }
    } catch (Throwable t) {
      LOG.error("audit writer stopped: records offered from now on are shed", t);
    } finally {
      finish();
    }
  }

  private void takeBatch(List<AuditRecord> batch, long idleDeadline) throws InterruptedException {
    int max = settings.batchMaxRecords();
    queue.take(batch, 1, max, hurry() ? System.nanoTime() : idleDeadline);
    if (!batch.isEmpty() && batch.size() < max && !hurry()) {
      queue.take(batch, max, max, RecordQueue.deadline(settings.batchMaxDelay().toNanos()));
    }
  }

  private void write(List<AuditRecord> batch) {
    List<EncodedRecord> encoded = new ArrayList<>(batch.size());
    for (AuditRecord r : batch) {
      try {
        AuditRecord redacted = redact.apply(r);
        if (redacted == null) {
          throw new IllegalStateException("redaction returned null");
        }
        encoded.add(EncodedRecord.of(redacted, next + encoded.size()));
      } catch (RuntimeException e) {
        metrics.failed.increment();
        warn("audit record {} not written: redaction or encoding failed", r.requestId(), e);
      }
    }
    if (!encoded.isEmpty()) {
      commit(encoded);
    }
    processed(batch.size());
  }

  private void commit(List<EncodedRecord> encoded) {
    long started = System.nanoTime();
    try {
      batches.write(encoded);
    } catch (SQLException e) {
      metrics.failed.add(encoded.size());
      warn("{} audit records not written: the transaction failed", encoded.size(), e);
      pause();
      return;
    }
    for (EncodedRecord e : encoded) {
      log.append(e.leafHash());
    }
    next += encoded.size();
    head = new TreeHead(log.size(), log.root());
    metrics.commit.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    metrics.written.add(encoded.size());
  }

  /** One retention step; failures are logged and retried at the next interval. */
  private int retentionStep() {
    try {
      int n = retention.step(head.size());
      metrics.pruned.add(n);
      return n;
    } catch (SQLException e) {
      warn("audit retention failed: {}", e.getMessage(), e);
      return 0;
    }
  }

  /** Runs retention steps until nothing is due; on the writer thread (submitted as a task). */
  long pruneAll() throws SQLException {
    long total = 0;
    int n;
    while ((n = retention.step(head.size())) > 0) {
      metrics.pruned.add(n);
      total += n;
    }
    return total;
  }

  private boolean hurry() {
    if (closing) {
      return true;
    }
    synchronized (progress) {
      return flushTarget > processed;
    }
  }

  private void processed(int n) {
    synchronized (progress) {
      processed += n;
      progress.notifyAll();
    }
  }

  boolean flush(long accepted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      flushTarget = Math.max(flushTarget, accepted);
    }
    queue.wake();
    synchronized (progress) {
      while (processed < accepted) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !thread.isAlive()) {
          return processed >= accepted;
        }
        progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
      return true;
    }
  }

  /** Stops after writing what is queued; if that takes longer than {@code wait}, stops after the current batch. */
  void stop(Duration wait) throws InterruptedException {
    closing = true;
    queue.wake();
    thread.join(Math.max(1, wait.toMillis()));
    if (thread.isAlive()) {
      abandon = true;
      queue.wake();
      thread.join();
    }
  }

  private void finish() {
    tasks.stop();
    int left = queue.close();
    if (left > 0) {
      metrics.failed.add(left);
      LOG.warn("{} audit records were still queued when the store closed: not written (counted as failed)", left);
    }
    processed(left);
    try {
      batches.close();
    } catch (SQLException e) {
      LOG.debug("closing the audit writer's statements", e);
    }
  }

  private void pause() {
    try {
      Thread.sleep(FAILURE_PAUSE_MS); // a failing database: do not spin; the queue sheds (counted) meanwhile
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** At most one warning every ten seconds: a failing database must not also flood the log. */
  private void warn(String message, Object arg, Throwable t) {
    long now = System.nanoTime();
    if (now - lastWarn >= WARN_EVERY_NANOS) {
      lastWarn = now;
      LOG.warn(message + " (further failures within 10 s are only counted)", arg, t);
    }
  }
}
