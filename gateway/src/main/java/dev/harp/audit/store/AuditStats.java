package dev.harp.audit.store;

/**
 * This node's audit counts since the store opened; the same numbers the meters report.
 *
 * @param written    records committed
 * @param shed       records refused by {@link AuditStore#offer} because the queue was full (or the store closed)
 * @param failed     records taken but not written: redaction or encoding threw, or their batch's transaction failed
 * @param pruned     records deleted by retention (their leaf hashes stay)
 * @param queueDepth records waiting for the writer now
 * @param logSize    leaves in the committed log
 */
public record AuditStats(long written, long shed, long failed, long pruned, int queueDepth, long logSize) {
}
