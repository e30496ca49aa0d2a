package dev.harp.audit;

/** Event-bus addresses of the audit trail; node-specific ones carry the node's name. */
public final class AuditAddresses {

  /** Forks a witness refused: one message each, published for dashboards and alerting. */
  static final String FORKS = "harp.audit.forks";

  private AuditAddresses() {
  }

  /** Where a node's witness takes cosignature requests. */
  static String witness(String node) {
    return "harp.audit.witness." + node;
  }

  /** Where a node answers questions about its own log (status, search, detail). */
  public static String queries(String node) {
    return "harp.audit.queries." + node;
  }
}
