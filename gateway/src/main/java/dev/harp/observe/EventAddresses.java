package dev.harp.observe;

/** Clustered event-bus addresses HARP publishes on; their message shapes are described in docs/events.md. */
public final class EventAddresses {

  /** Batches of sampled traffic events, one message per node about every 100 ms. */
  public static final String TRAFFIC = "harp.traffic";

  /** One message per proxy per node per second. */
  public static final String STATS = "harp.stats";

  /** Active health probe results, from the elected prober (see docs/resilience.md). */
  public static final String HEALTH = "harp.health";

  /** Circuit breaker state changes; a node applies the openings and closings its peers publish. */
  public static final String BREAKERS = "harp.breakers";

  /** Passive outlier ejections and returns, per node. */
  public static final String EJECTIONS = "harp.ejections";

  /** Maintenance overrides set or cleared through the admin API; every node applies them. */
  public static final String MAINTENANCE = "harp.maintenance";

  /** Retries and retry-budget refusals, one message per proxy per node per second when there were any. */
  public static final String RETRIES = "harp.retries";

  private EventAddresses() {
  }
}
