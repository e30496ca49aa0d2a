package dev.harp.ratelimit;

/**
 * Local mode's reconciliation of one key, as its owner runs it: charges the admissions a node made since its last
 * sync to the key's cluster TATs (they happened: unconditionally), records how many requests the node saw (its
 * demand), and returns the cluster's TATs and the key's total demand over all nodes.
 *
 * <p>Charging δ admissions is exactly GCRA replayed over them: {@code TAT = max(TAT + δ·T, G)}, where G is the TAT
 * the node's own admissions reached on their own (sent relative to its clock, placed on the owner's). Charging them
 * all at the owner's "now" instead would pretend the key sat idle until then and overcharge every round.
 *
 * <p>State: {@code [TAT_0 .. TAT_m-1, (member, seenAt, demand)*]}; a member's demand counts until it is
 * {@code staleNanos} old. Arguments: {@code [delta, demand, ownAhead_0 .. ownAhead_m-1]}. Result:
 * {@code [now, ownDemand, totalDemand, TAT_0 .. TAT_m-1]}.
 */
final class SyncStep {

  static final int MAX_MEMBERS = 64;
  /** No own admissions on this limit since the last sync. */
  static final long NONE = Long.MIN_VALUE;

  private SyncStep() {
  }

  static long[] args(long delta, long demand, long[] ownAhead) {
    long[] a = new long[2 + ownAhead.length];
    a[0] = delta;
    a[1] = demand;
    System.arraycopy(ownAhead, 0, a, 2, ownAhead.length);
    return a;
  }

  static Step apply(long[] stored, long now, long[] emission, long[] args, long member, long staleNanos) {
    int m = emission.length;
    long delta = args[0];
    long demand = args[1];
    boolean valid = stored != null && stored.length >= m && (stored.length - m) % 3 == 0;
    long[] tats = new long[m];
    if (valid) {
      System.arraycopy(stored, 0, tats, 0, m);
    }
    if (delta > 0) {
      for (int k = 0; k < m; k++) {
        long own = args[2 + k] == NONE ? Long.MIN_VALUE : now + args[2 + k];
        tats[k] = Math.max(tats[k] + delta * emission[k], own);
      }
    }
    long[] slots = new long[3 * MAX_MEMBERS];
    int n = 0;
    long total = 0;
    if (demand > 0) {
      slots[0] = member;
      slots[1] = now;
      slots[2] = demand;
      n = 1;
      total = demand;
    }
    for (int i = m; valid && i < stored.length && n < MAX_MEMBERS; i += 3) {
      if (stored[i] != member && now - stored[i + 1] <= staleNanos) {
        slots[3 * n] = stored[i];
        slots[3 * n + 1] = stored[i + 1];
        slots[3 * n + 2] = stored[i + 2];
        total += stored[i + 2];
        n++;
      }
    }
    long[] value = new long[m + 3 * n];
    System.arraycopy(tats, 0, value, 0, m);
    System.arraycopy(slots, 0, value, m, 3 * n);
    long[] result = new long[3 + m];
    result[0] = now;
    result[1] = demand;
    result[2] = total;
    System.arraycopy(tats, 0, result, 3, m);
    return new Step(result, value);
  }

  /** TATs in the past and every member's demand stale: nothing in it matters any more. */
  static boolean stale(long[] value, int m, long now, long staleNanos) {
    for (int k = 0; k < m && k < value.length; k++) {
      if (value[k] > now) {
        return false;
      }
    }
    for (int i = m; i + 2 < value.length; i += 3) {
      if (now - value[i + 1] <= staleNanos) {
        return false;
      }
    }
    return true;
  }
}
