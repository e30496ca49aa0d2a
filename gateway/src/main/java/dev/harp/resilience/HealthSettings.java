package dev.harp.resilience;

import com.fasterxml.jackson.databind.JsonNode;
import dev.harp.config.ConfigNode;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code health:} block: active probes of every endpoint of the proxy, made by one elected node for the whole
 * cluster. An endpoint turns unhealthy after {@code unhealthyThreshold} failed probes in a row and healthy again
 * after {@code healthyThreshold} good ones; until its first verdict it counts as healthy.
 *
 * @param expectStatus statuses that count as a good probe
 */
public record HealthSettings(String method, String path, Set<Integer> expectStatus, Duration interval,
                             Duration timeout, int healthyThreshold, int unhealthyThreshold) {

  public static final String KEY = "health";
  public static final String DEFAULT_METHOD = "GET";
  public static final String DEFAULT_PATH = "/";
  public static final String DEFAULT_EXPECT = "200-399";
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  public static final int DEFAULT_HEALTHY_THRESHOLD = 2;
  public static final int DEFAULT_UNHEALTHY_THRESHOLD = 3;

  public boolean expects(int status) {
    return expectStatus.contains(status);
  }

  /** Reads the block at {@link #KEY} under a proxy, for {@link ResilienceFilterFactory}. */
  static final class Reader {

    HealthSettings read(ConfigNode n) {
      n.allowOnly(Set.of("method", "path", "expectStatus", "interval", "timeout", "healthyThreshold",
          "unhealthyThreshold"));
      String method = n.string("method", DEFAULT_METHOD).toUpperCase();
      if (!Set.of("GET", "HEAD", "OPTIONS").contains(method)) {
        n.problem("method", "'" + method + "' must be GET, HEAD or OPTIONS (probes must be safe)");
      }
      String path = n.string("path", DEFAULT_PATH);
      if (!path.startsWith("/")) {
        n.problem("path", "'" + path + "' must start with /");
      }
      Set<Integer> expect = expectStatus(n);
      Duration interval = n.duration("interval", DEFAULT_INTERVAL);
      if (interval.compareTo(Duration.ofMillis(100)) < 0) {
        n.problem("interval", "must be at least 100ms, got " + interval.toMillis() + " ms");
        interval = DEFAULT_INTERVAL;
      }
      Duration timeout = n.duration("timeout", DEFAULT_TIMEOUT);
      if (timeout.isZero()) {
        n.problem("timeout", "must be greater than 0");
      } else if (timeout.compareTo(interval) > 0) {
        n.problem("timeout", "must not exceed health.interval (" + interval.toMillis() + " ms), got "
            + timeout.toMillis() + " ms");
      }
      return new HealthSettings(method, path, expect, interval, timeout,
          (int) n.integer("healthyThreshold", DEFAULT_HEALTHY_THRESHOLD, 1, 100),
          (int) n.integer("unhealthyThreshold", DEFAULT_UNHEALTHY_THRESHOLD, 1, 100));
    }

    /** A status, a range {@code "200-399"}, or a list of them. */
    private static Set<Integer> expectStatus(ConfigNode n) {
      Set<Integer> codes = new TreeSet<>();
      JsonNode v = n.raw().get("expectStatus");
      if (v == null || v.isNull()) {
        addRange(DEFAULT_EXPECT, codes);
        return Set.copyOf(codes);
      }
      if (v.isArray()) {
        for (int i = 0; i < v.size(); i++) {
          if (!v.get(i).isValueNode() || !addRange(v.get(i).asText(), codes)) {
            n.problems().add(n.pathOf("expectStatus") + "[" + i + "]", "'" + v.get(i).asText()
                + "' is not a status or range (e.g. 200, \"200-399\")");
          }
        }
      } else if (!v.isValueNode() || !addRange(v.asText(), codes)) {
        n.problem("expectStatus", "'" + v.asText() + "' is not a status or range (e.g. 200, \"200-399\")");
      }
      if (codes.isEmpty()) {
        addRange(DEFAULT_EXPECT, codes);
      }
      return Set.copyOf(codes);
    }

    private static boolean addRange(String text, Set<Integer> codes) {
      String[] parts = text.trim().split("\\s*-\\s*");
      if (parts.length > 2 || !parts[0].matches("[1-5]\\d\\d")
          || (parts.length == 2 && !parts[1].matches("[1-5]\\d\\d"))) {
        return false;
      }
      int from = Integer.parseInt(parts[0]);
      int to = parts.length == 2 ? Integer.parseInt(parts[1]) : from;
      if (to < from) {
        return false;
      }
      for (int c = from; c <= to; c++) {
        codes.add(c);
      }
      return true;
    }
  }
}
