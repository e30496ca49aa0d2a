package dev.harp.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes such as {@code 512}, {@code 64KiB}, {@code 10MiB}, {@code 1GiB} (also KB/MB/GB as powers of 1000). */
public final class ByteSizes {

  private static final Pattern SYNTAX = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|KB|MB|GB|k|K|M|G)?");

  private ByteSizes() {
  }

  public static long parse(String text) {
    Matcher m = SYNTAX.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size (use e.g. 8192, 64KiB, 10MiB, 1GiB)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2);
    long factor = switch (unit) {
      case "KiB", "k", "K" -> 1L << 10;
      case "MiB", "M" -> 1L << 20;
      case "GiB", "G" -> 1L << 30;
      case "KB" -> 1_000L;
      case "MB" -> 1_000_000L;
      case "GB" -> 1_000_000_000L;
      default -> 1L;
    };
    return Math.multiplyExact(n, factor);
  }
}
