package dev.harp.audit.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Work other threads hand to the writer thread, so every write to the database goes through its one connection
 * (checkpoint and witness saves, retention on demand). Run between batches; a caller waits a bounded time.
 */
final class WriterTasks {

  private record Task<T>(Sql<T> work, CompletableFuture<T> result) {

    void run(Connection c) {
      try {
        result.complete(work.apply(c));
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    }

    void refuse() {
      result.completeExceptionally(new AuditStoreException("the audit store is closed"));
    }
  }

  private final ConcurrentLinkedQueue<Task<?>> tasks = new ConcurrentLinkedQueue<>();
  private final Runnable wakeWriter;
  private volatile boolean stopped;

  WriterTasks(Runnable wakeWriter) {
    this.wakeWriter = wakeWriter;
  }

  <T> CompletableFuture<T> submit(Sql<T> work) {
    Task<T> task = new Task<>(work, new CompletableFuture<>());
    tasks.add(task);
    if (stopped) {
      refuseAll(); // the writer may have left before it could see this task
    } else {
      wakeWriter.run();
    }
    return task.result();
  }

  /** Submits and waits; storage failures come back as {@link AuditStoreException}. */
  <T> T call(Sql<T> work, Duration timeout) {
    CompletableFuture<T> f = submit(work);
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof SQLException s) {
        throw new AuditStoreException("audit database write failed: " + s.getMessage(), s);
      }
      throw new AuditStoreException("audit writer task failed", cause);
    } catch (TimeoutException e) {
      throw new AuditStoreException("the audit writer did not run the task within " + timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuditStoreException("interrupted while waiting for the audit writer");
    }
  }

  /** On the writer thread. */
  void runAll(Connection c) {
    Task<?> t;
    while ((t = tasks.poll()) != null) {
      t.run(c);
    }
  }

  /** The writer is gone: nothing queued or submitted later will run. */
  void stop() {
    stopped = true;
    refuseAll();
  }

  private void refuseAll() {
    Task<?> t;
    while ((t = tasks.poll()) != null) {
      t.refuse();
    }
  }
}
