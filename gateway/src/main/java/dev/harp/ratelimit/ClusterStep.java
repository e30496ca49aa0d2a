package dev.harp.ratelimit;

/**
 * Cluster mode's decision for one key, as its owner runs it: read the TATs, admit up to {@code n} coalesced requests,
 * write them back. Pure, so tests can replay it on any clock.
 *
 * <p>Result: {@code [admitted, now, start_0 .. start_m-1]} with {@code start_k = max(TAT_k, now)} before the batch:
 * enough for the caller to give each request of the batch its own exact RateLimit header.
 */
final class ClusterStep {

  private ClusterStep() {
  }

  static Step decide(long[] stored, long now, long[] emission, long[] tolerance, int n) {
    int m = emission.length;
    // A value of another shape belongs to an older config of this policy: start afresh rather than misread it.
    long[] tats = stored == null || stored.length != m ? new long[m] : stored.clone();
    long[] result = new long[2 + m];
    result[1] = now;
    for (int k = 0; k < m; k++) {
      result[2 + k] = Math.max(tats[k], now);
    }
    int admitted = Gcra.admit(tats, emission, tolerance, now, n);
    result[0] = admitted;
    return new Step(result, admitted > 0 ? tats : null);
  }

  /** Every TAT in the past: the key is as good as new and its entry can go. */
  static boolean stale(long[] value, long now) {
    for (long t : value) {
      if (t > now) {
        return false;
      }
    }
    return true;
  }
}
