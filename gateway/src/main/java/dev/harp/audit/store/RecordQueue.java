package dev.harp.audit.store;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded hand-over from request threads to the writer. {@link #offer} never waits: it takes a lock held only for
 * a few list operations, and is refused when full. The writer waits for as many records as it wants, until a
 * deadline, or until {@link #wake}; an offer signals only when the writer's wish is met, so a writer that lingers for
 * a fuller batch is not woken by every record.
 */
final class RecordQueue {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();
  private final ArrayDeque<AuditRecord> records;
  private final int capacity;
  private int wanted = Integer.MAX_VALUE;
  private boolean woken;
  private boolean closed;
  private long accepted;

  RecordQueue(int capacity) {
    this.capacity = capacity;
    this.records = new ArrayDeque<>(Math.min(capacity, 1 << 16));
  }

  boolean offer(AuditRecord r) {
    lock.lock();
    try {
      if (closed || records.size() >= capacity) {
        return false;
      }
      records.addLast(r);
      accepted++;
      if (records.size() >= wanted) {
        ready.signal();
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until {@code out} could hold {@code want} records, the deadline ({@link System#nanoTime}) passes, or
   * {@link #wake} is called; then moves up to {@code max - out.size()} queued records into {@code out}.
   */
  void take(List<AuditRecord> out, int want, int max, long deadlineNanos) throws InterruptedException {
    lock.lock();
    try {
      int need = want - out.size();
      while (records.size() < need && !woken) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          break;
        }
        wanted = need;
        try {
          ready.awaitNanos(left);
        } finally {
          wanted = Integer.MAX_VALUE;
        }
      }
      woken = false;
      while (out.size() < max && !records.isEmpty()) {
        out.add(records.pollFirst());
      }
    } finally {
      lock.unlock();
    }
  }

  /** Ends the writer's current (or next) wait at once. */
  void wake() {
    lock.lock();
    try {
      woken = true;
      ready.signal();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Refuses every later offer and drops what is still queued; returns how many were dropped. Under the lock, so no
   * record can slip in after the writer's last look and wait forever.
   */
  int close() {
    lock.lock();
    try {
      closed = true;
      int n = records.size();
      records.clear();
      return n;
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return records.size();
    } finally {
      lock.unlock();
    }
  }

  /** Records accepted since the start: what {@code flush} waits for. */
  long accepted() {
    lock.lock();
    try {
      return accepted;
    } finally {
      lock.unlock();
    }
  }

  static long deadline(long nanosFromNow) {
    return System.nanoTime() + Math.max(0, Math.min(nanosFromNow, TimeUnit.DAYS.toNanos(1)));
  }
}
