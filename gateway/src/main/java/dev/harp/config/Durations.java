package dev.harp.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the config's duration syntax: a number with a unit, e.g. {@code 250ms}, {@code 2s}, {@code 5m}, {@code 1h}, {@code 1d}. */
public final class Durations {

  private static final Pattern SYNTAX = Pattern.compile("(-?\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

  private Durations() {
  }

  /** @throws IllegalArgumentException with a user-facing reason */
  public static Duration parse(String text) {
    Matcher m = SYNTAX.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (use e.g. 500ms, 2s, 5m, 1h, 1d)");
    }
    double amount = Double.parseDouble(m.group(1));
    if (amount < 0) {
      throw new IllegalArgumentException("'" + text + "' is negative; durations must be >= 0");
    }
    double millis = switch (m.group(2)) {
      case "ms" -> amount;
      case "s" -> amount * 1_000;
      case "m" -> amount * 60_000;
      case "h" -> amount * 3_600_000;
      default -> amount * 86_400_000;
    };
    return Duration.ofNanos(Math.round(millis * 1_000_000));
  }

  /** Renders a duration back in the config syntax, for the effective-config view. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1_000 == 0) {
      return ms / 1_000 + "s";
    }
    return ms + "ms";
  }
}
