package dev.harp.admin.auth;

/**
 * Who passed the admin guard. The guard puts it on the {@code RoutingContext} under {@link #KEY}, so admin routes
 * (and audit) can say who did what.
 *
 * @param name the user or token name from {@code admin.users}/{@code admin.tokens}; {@code "anonymous"} on open paths
 */
public record AdminPrincipal(String name, Kind kind) {

  public static final String KEY = "harp.admin.principal";

  static final AdminPrincipal ANONYMOUS = new AdminPrincipal("anonymous", Kind.OPEN);

  public enum Kind {
    /** HTTP Basic with a password. */
    USER,
    /** {@code Authorization: Bearer}. */
    TOKEN,
    /** An open path ({@code admin.openHealth}, {@code admin.openMetrics}): no credentials were checked. */
    OPEN
  }
}
