package dev.harp.ban;

import dev.harp.config.ConfigNode;
import dev.harp.config.Durations;
import dev.harp.net.AddressSet;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/** Reads a proxy's {@code ban:} block (for {@link BanFilterFactory}). */
final class BanReader {

  public static final String KEY = "ban";
  static final Set<Integer> DEFAULT_STATUSES = Set.of(401, 403);
  static final int DEFAULT_THRESHOLD = 10;
  static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
  static final Duration DEFAULT_DURATION = Duration.ofMinutes(15);

  BanSettings read(ConfigNode n) {
    n.allowOnly(Set.of("statuses", "threshold", "window", "duration", "status", "allow"));
    Set<Integer> statuses = new LinkedHashSet<>();
    var raw = n.raw().get("statuses");
    if (raw == null || raw.isNull()) {
      statuses.addAll(DEFAULT_STATUSES);
    } else if (!raw.isArray() || raw.isEmpty()) {
      n.problem("statuses", "must be a non-empty list of HTTP statuses, e.g. [401, 403]");
    } else {
      for (int i = 0; i < raw.size(); i++) {
        var s = raw.get(i);
        if (!s.isIntegralNumber() || s.asInt() < 100 || s.asInt() > 599) {
          n.problems().add(n.pathOf("statuses") + "[" + i + "]", "must be an HTTP status (100-599), got " + s);
        } else {
          statuses.add(s.asInt());
        }
      }
    }
    int threshold = (int) n.integer("threshold", DEFAULT_THRESHOLD, 1, 1000);
    Duration window = bounded(n, "window", DEFAULT_WINDOW, Duration.ofDays(1));
    Duration duration = bounded(n, "duration", DEFAULT_DURATION, Duration.ofDays(365));
    int status = (int) n.integer("status", 403, 400, 499);
    AddressSet allow = AddressSet.read(n, "allow");
    return new BanSettings(statuses, threshold, window, duration, status, allow);
  }

  private static Duration bounded(ConfigNode n, String key, Duration def, Duration max) {
    Duration d = n.duration(key, def);
    if (d.toMillis() < 1) {
      n.problem(key, "must be at least 1ms");
      return def;
    }
    if (d.compareTo(max) > 0) {
      n.problem(key, "must be at most " + Durations.format(max));
      return def;
    }
    return d;
  }
}
