package dev.harp.audit.store;

/** The audit database failed, or refused to open because its contents do not check out; the message says which. */
public class AuditStoreException extends RuntimeException {

  public AuditStoreException(String message) {
    super(message);
  }

  public AuditStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
