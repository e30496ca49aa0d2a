package dev.harp.resilience;

import com.fasterxml.jackson.databind.JsonNode;
import dev.harp.config.ConfigNode;
import dev.harp.engine.HttpMethods;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code retry:} block of a proxy: when a failed attempt is tried again, how long to wait, and how many retries
 * a proxy may make at all (the budget), so that retries cannot multiply an outage.
 *
 * @param maxAttempts            attempts per request, the first included (1 = never retry)
 * @param methods                methods retried once the request may have reached an upstream (idempotent ones)
 * @param conditions             failures before a response head that are retried
 * @param statuses               upstream response statuses that are retried
 * @param connectFailureAnyMethod retry any method when the connection failed (not a byte of it left HARP)
 * @param bufferBodyUpTo         request bodies up to this size are kept in memory so a retry can resend them
 * @param retryAfterCap          an upstream {@code Retry-After} up to this is waited for; a longer one is delivered
 */
public record RetrySettings(int maxAttempts, Set<String> methods, Set<Condition> conditions, Set<Integer> statuses,
                            boolean connectFailureAnyMethod, long bufferBodyUpTo, Backoff backoff,
                            Duration retryAfterCap, Budget budget) {

  public static final String KEY = "retry";
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  /** RFC 9110's idempotent methods. */
  public static final List<String> DEFAULT_METHODS = HttpMethods.IDEMPOTENT;
  public static final List<String> DEFAULT_RETRY_ON = List.of("connect-failure", "reset", "timeout", "502", "503",
      "504");
  public static final long DEFAULT_BUFFER_BODY = 64 * 1024;
  public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(25);
  public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(1);
  public static final Duration DEFAULT_RETRY_AFTER_CAP = Duration.ofSeconds(2);
  public static final int DEFAULT_BUDGET_PERCENT = 20;
  public static final int DEFAULT_BUDGET_MIN_PER_SECOND = 10;
  public static final Duration DEFAULT_BUDGET_WINDOW = Duration.ofSeconds(10);

  /** A failure before any response head that may be retried. */
  public enum Condition {
    /** Refused, unreachable, or connect timeout: nothing was sent. */
    CONNECT_FAILURE("connect-failure"),
    /** The upstream closed or broke the connection before its response head. */
    RESET("reset"),
    /** No response head within {@code timeouts.response}. */
    TIMEOUT("timeout");

    public final String configName;

    Condition(String configName) {
      this.configName = configName;
    }
  }

  /** Exponential back-off with full jitter: attempt n waits a random time in [0, min(max, base * 2^n)). */
  public record Backoff(Duration base, Duration max) {
  }

  /**
   * Per node and per proxy: over the last {@code window}, retries may be at most {@code percent}% of the requests,
   * plus {@code minPerSecond} per second of window so a quiet proxy can still retry.
   */
  public record Budget(int percent, int minPerSecond, Duration window) {
  }

  /** Reads the block at {@link #KEY} under a proxy, for {@link ResilienceFilterFactory}. */
  static final class Reader {

    RetrySettings read(ConfigNode n) {
      n.allowOnly(Set.of("maxAttempts", "methods", "retryOn", "connectFailureAnyMethod", "bufferBodyUpTo", "backoff",
          "retryAfterCap", "budget"));
      int maxAttempts = (int) n.integer("maxAttempts", DEFAULT_MAX_ATTEMPTS, 1, 10);
      Set<String> methods = new LinkedHashSet<>();
      List<String> given = n.has("methods") ? n.strings("methods") : DEFAULT_METHODS;
      for (int i = 0; i < given.size(); i++) {
        String m = given.get(i).trim().toUpperCase();
        if (!m.matches("[A-Z][A-Z-]*")) {
          n.problems().add(n.pathOf("methods") + "[" + i + "]", "'" + given.get(i) + "' is not an HTTP method");
        } else {
          methods.add(m);
        }
      }
      Set<Condition> conditions = EnumSet.noneOf(Condition.class);
      Set<Integer> statuses = new LinkedHashSet<>();
      readRetryOn(n, conditions, statuses);
      long buffer = n.bytes("bufferBodyUpTo", DEFAULT_BUFFER_BODY);
      if (buffer > 16L << 20) {
        n.problem("bufferBodyUpTo", "must be at most 16MiB (it is held in memory per request), got " + buffer);
        buffer = DEFAULT_BUFFER_BODY;
      }
      ConfigNode b = n.object("backoff");
      b.allowOnly(Set.of("base", "max"));
      Duration base = b.duration("base", DEFAULT_BACKOFF_BASE);
      Duration max = b.duration("max", DEFAULT_BACKOFF_MAX);
      if (max.compareTo(base) < 0) {
        b.problem("max", "must be at least backoff.base (" + base.toMillis() + " ms)");
      }
      ConfigNode bu = n.object("budget");
      bu.allowOnly(Set.of("percent", "minPerSecond", "window"));
      int percent = (int) bu.integer("percent", DEFAULT_BUDGET_PERCENT, 0, 100);
      int minPerSecond = (int) bu.integer("minPerSecond", DEFAULT_BUDGET_MIN_PER_SECOND, 0, 100_000);
      Duration window = bu.duration("window", DEFAULT_BUDGET_WINDOW);
      if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofMinutes(10)) > 0) {
        bu.problem("window", "must be between 1s and 10m, got " + window.toMillis() + " ms");
        window = DEFAULT_BUDGET_WINDOW;
      }
      return new RetrySettings(maxAttempts, Set.copyOf(methods), Set.copyOf(conditions), Set.copyOf(statuses),
          n.bool("connectFailureAnyMethod", true), buffer, new Backoff(base, max),
          n.duration("retryAfterCap", DEFAULT_RETRY_AFTER_CAP),
          new Budget(percent, minPerSecond, Duration.ofSeconds(Math.max(1, window.toSeconds()))));
    }

    /** {@code retryOn}: condition names and statuses 400-599, mixed; absent means the defaults. */
    private static void readRetryOn(ConfigNode n, Set<Condition> conditions, Set<Integer> statuses) {
      JsonNode list = n.raw().get("retryOn");
      if (list == null || list.isNull()) {
        DEFAULT_RETRY_ON.forEach(token -> addToken(token, conditions, statuses));
        return;
      }
      if (!list.isArray()) {
        n.problem("retryOn", "must be a list (connect-failure, reset, timeout, or statuses 400-599)");
        return;
      }
      for (int i = 0; i < list.size(); i++) {
        JsonNode e = list.get(i);
        if (!e.isValueNode() || !addToken(e.asText().trim(), conditions, statuses)) {
          n.problems().add(n.pathOf("retryOn") + "[" + i + "]", "'" + e.asText() + "' is not a retry condition "
              + "(connect-failure, reset, timeout, or a status 400-599)");
        }
      }
    }

    private static boolean addToken(String token, Set<Condition> conditions, Set<Integer> statuses) {
      for (Condition c : Condition.values()) {
        if (c.configName.equals(token)) {
          conditions.add(c);
          return true;
        }
      }
      if (token.matches("[45]\\d\\d")) {
        statuses.add(Integer.parseInt(token));
        return true;
      }
      return false;
    }
  }
}
