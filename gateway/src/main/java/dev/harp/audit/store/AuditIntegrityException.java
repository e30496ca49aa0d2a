package dev.harp.audit.store;

/**
 * The stored log does not match itself: a checkpoint's root, or a record's leaf hash, disagrees with what is stored.
 * The store refuses to open rather than extend a log it cannot vouch for. The message names the size or index.
 */
public final class AuditIntegrityException extends AuditStoreException {

  public AuditIntegrityException(String message) {
    super(message);
  }
}
