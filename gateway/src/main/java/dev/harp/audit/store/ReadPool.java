package dev.harp.audit.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;

/**
 * A few read connections for searches, exports and the Merkle log's leaf reads. A JDBC connection serves one thread
 * at a time, and WAL lets each reader see its own committed snapshot beside the writer, so several are kept; a caller
 * beyond {@code max} waits for one (callers are workers).
 */
final class ReadPool implements AutoCloseable {

  private final Path dataDir;
  private final Semaphore permits;
  private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  ReadPool(Path dataDir, int max) {
    this.dataDir = dataDir;
    this.permits = new Semaphore(max);
  }

  /** Runs {@code work} with a connection in autocommit: each statement sees the latest commit. */
  <T> T read(Sql<T> work) {
    return run(work, false);
  }

  /** Runs {@code work} in one read transaction: every statement sees the same snapshot. */
  <T> T snapshot(Sql<T> work) {
    return run(work, true);
  }

  private <T> T run(Sql<T> work, boolean snapshot) {
    permits.acquireUninterruptibly();
    Connection c = null;
    boolean reusable = false;
    try {
      if (closed) {
        throw new AuditStoreException("the audit store is closed");
      }
      c = idle.pollFirst();
      if (c == null) {
        c = AuditDatabase.openReader(dataDir);
      }
      if (snapshot) {
        c.setAutoCommit(false);
      }
      T result = work.apply(c);
      if (snapshot) {
        c.rollback(); // read only: nothing to commit, just end the snapshot
        c.setAutoCommit(true);
      }
      reusable = true;
      return result;
    } catch (SQLException e) {
      throw new AuditStoreException("audit database read failed: " + e.getMessage(), e);
    } finally {
      if (c != null) {
        giveBack(c, reusable);
      }
      permits.release();
    }
  }

  private void giveBack(Connection c, boolean reusable) {
    if (reusable && !closed) {
      idle.offerFirst(c);
      if (!closed) {
        return;
      }
      // closed meanwhile: close() may have missed it
      idle.remove(c);
    }
    quietly(c);
  }

  @Override
  public void close() {
    closed = true;
    Connection c;
    while ((c = idle.pollFirst()) != null) {
      quietly(c);
    }
  }

  private static void quietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing a read connection: nothing was pending on it
    }
  }
}
