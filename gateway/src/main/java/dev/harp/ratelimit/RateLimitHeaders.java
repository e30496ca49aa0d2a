package dev.harp.ratelimit;

import java.util.List;

/**
 * The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers-10), structured-field lists with one item
 * per limit: {@code RateLimit-Policy: "100-per-1s";q=100;w=1} (quota q per window w seconds) and
 * {@code RateLimit: "100-per-1s";r=7;t=1}. Under GCRA, {@code r} is how many requests would pass right now (at most
 * the burst) and {@code t} the seconds until the limit is fully replenished.
 */
final class RateLimitHeaders {

  static final String POLICY = "RateLimit-Policy";
  static final String STATE = "RateLimit";

  private RateLimitHeaders() {
  }

  /** Fixed per policy: rendered once at start. */
  static String policy(List<Limit> limits) {
    StringBuilder sb = new StringBuilder();
    for (Limit l : limits) {
      if (!sb.isEmpty()) {
        sb.append(", ");
      }
      double seconds = l.per().toNanos() / 1e9;
      long w;
      long q;
      if (seconds >= 1 && seconds == Math.rint(seconds)) {
        w = (long) seconds;
        q = l.requests();
      } else {
        // The draft's window is whole seconds: advertise the same rate over the nearest whole window.
        w = Math.max(1, Math.round(seconds));
        q = Math.max(1, (long) Math.floor(l.requests() * w / seconds));
      }
      sb.append(item(l.name())).append(";q=").append(q).append(";w=").append(w);
    }
    return sb.toString();
  }

  /** The limits' names as structured-field strings, quoted once at start rather than on every response. */
  static String[] items(List<Limit> limits) {
    return limits.stream().map(l -> item(l.name())).toArray(String[]::new);
  }

  /** @param items from {@link #items} */
  static String state(String[] items, Rates rates, Quota quota) {
    StringBuilder sb = new StringBuilder(32 * items.length);
    for (int k = 0; k < items.length; k++) {
      if (k > 0) {
        sb.append(", ");
      }
      long tat = quota.tats()[k];
      long remaining = Gcra.remaining(tat, rates.emission()[k], rates.tolerance()[k], quota.now());
      sb.append(items[k]).append(";r=").append(remaining)
          .append(";t=").append(seconds(Gcra.reset(tat, quota.now())));
    }
    return sb.toString();
  }

  /** Whole seconds, rounded up: a client that waits this long is never early. */
  static long seconds(long nanos) {
    return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
  }

  private static String item(String name) {
    return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
