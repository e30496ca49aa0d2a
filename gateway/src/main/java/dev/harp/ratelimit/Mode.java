package dev.harp.ratelimit;

/** Where a policy's decisions are made. */
public enum Mode {
  /** One atomic EntryProcessor on the key's partition owner per decision (coalesced per event loop): exact. */
  CLUSTER,
  /** Each node decides alone and reconciles with the cluster every {@code syncInterval}: fast, bounded overshoot. */
  LOCAL
}
