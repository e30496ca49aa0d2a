package dev.harp.observe;

/** Clustered event-bus addresses HARP publishes on; their message shapes are described in docs/events.md. */
public final class EventAddresses {

  /** Batches of sampled traffic events, one message per node about every 100 ms. */
  public static final String TRAFFIC = "harp.traffic";

  /** One message per proxy per node per second. */
  public static final String STATS = "harp.stats";

  private EventAddresses() {
  }
}
