package dev.harp.audit.store;

import java.time.Clock;
import java.time.Duration;

/**
 * How the audit store queues, commits and forgets.
 *
 * @param queueCapacity   records that may wait for the writer; beyond it {@link AuditStore#offer} sheds (counted)
 * @param batchMaxRecords records per transaction at most
 * @param batchMaxDelay   the commit window: how long the writer waits, after taking a batch's first record, for more
 *                        to fill the batch (so also how long a record may wait to be committed under light load)
 * @param retainFor       records older than this are pruned (their leaf hashes stay)
 * @param maxBytes        the database's used pages are kept under this by pruning the oldest records; the leaf table
 *                        (about 40 bytes a record, never pruned) counts towards it
 * @param retentionEvery  how often the writer checks retention
 * @param clock           wall time for records' age and saved-at stamps (tests move it)
 */
public record AuditStoreSettings(int queueCapacity, int batchMaxRecords, Duration batchMaxDelay, Duration retainFor,
                                 long maxBytes, Duration retentionEvery, Clock clock) {

  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
  public static final int DEFAULT_BATCH_MAX_RECORDS = 500;
  public static final Duration DEFAULT_BATCH_MAX_DELAY = Duration.ofMillis(100);
  public static final Duration DEFAULT_RETAIN_FOR = Duration.ofDays(30);
  public static final long DEFAULT_MAX_BYTES = 1L << 30;
  public static final Duration DEFAULT_RETENTION_EVERY = Duration.ofMinutes(1);

  public static final AuditStoreSettings DEFAULTS = new AuditStoreSettings(DEFAULT_QUEUE_CAPACITY,
      DEFAULT_BATCH_MAX_RECORDS, DEFAULT_BATCH_MAX_DELAY, DEFAULT_RETAIN_FOR, DEFAULT_MAX_BYTES,
      DEFAULT_RETENTION_EVERY, Clock.systemUTC());

  public AuditStoreSettings {
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be at least 1, got " + queueCapacity);
    }
    if (batchMaxRecords < 1) {
      throw new IllegalArgumentException("batchMaxRecords must be at least 1, got " + batchMaxRecords);
    }
    if (batchMaxDelay.isNegative()) {
      throw new IllegalArgumentException("batchMaxDelay must not be negative, got " + batchMaxDelay);
    }
    if (retainFor.isNegative() || retainFor.isZero()) {
      throw new IllegalArgumentException("retainFor must be positive, got " + retainFor);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
    }
    if (retentionEvery.isNegative() || retentionEvery.isZero()) {
      throw new IllegalArgumentException("retentionEvery must be positive, got " + retentionEvery);
    }
    if (clock == null) {
      throw new IllegalArgumentException("clock must be set");
    }
  }

  public AuditStoreSettings withQueueCapacity(int v) {
    return new AuditStoreSettings(v, batchMaxRecords, batchMaxDelay, retainFor, maxBytes, retentionEvery, clock);
  }

  public AuditStoreSettings withBatch(int maxRecords, Duration maxDelay) {
    return new AuditStoreSettings(queueCapacity, maxRecords, maxDelay, retainFor, maxBytes, retentionEvery, clock);
  }

  public AuditStoreSettings withRetention(Duration retain, long bytes) {
    return new AuditStoreSettings(queueCapacity, batchMaxRecords, batchMaxDelay, retain, bytes, retentionEvery, clock);
  }

  public AuditStoreSettings withClock(Clock c) {
    return new AuditStoreSettings(queueCapacity, batchMaxRecords, batchMaxDelay, retainFor, maxBytes, retentionEvery,
        c);
  }
}
