/**
 * The node's audit trail: {@link dev.harp.audit.store.AuditRecord}s of completed transactions, written off the event
 * loops by one writer thread into an embedded SQLite database ({@link dev.harp.audit.store.SqliteAuditStore}, behind
 * {@link dev.harp.audit.store.AuditStore}), each a leaf of the node's Merkle log in its canonical encoding
 * ({@link dev.harp.audit.store.AuditRecords}; docs/audit-record.md). Searches, details, proofs and
 * {@code harp-audit-bundle/v1} exports read beside the writer. Nothing offered is dropped without being counted.
 */
package dev.harp.audit.store;
