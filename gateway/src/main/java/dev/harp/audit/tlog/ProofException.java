package dev.harp.audit.tlog;

/** A proof, note or signature that does not check out; the message says what and where. */
public final class ProofException extends Exception {

  public ProofException(String message) {
    super(message);
  }
}
