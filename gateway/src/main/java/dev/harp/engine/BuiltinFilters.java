package dev.harp.engine;

import dev.harp.spi.Placement;

import java.util.Map;

/**
 * Where HARP's own request-phase features that are not yet SPI filters sit, as placements like any filter's (an SPI
 * filter, such as {@code ban} or {@code capture}, brings its own). The order they give, with those two: a banned
 * client is refused before any work; capture previews the request as the client sent it (after ban, before auth);
 * auth identifies the client; rate limits charge the identified client; the cache answers last, so a hit still
 * passed auth and limits. Resilience is not in this list: it acts on attempts, not requests.
 */
public final class BuiltinFilters {

  public static final String BAN = "ban";
  /** An SPI filter now ({@code dev.harp.dashboard.CaptureFilterFactory}); auth is still placed after it. */
  public static final String CAPTURE = "capture";
  public static final String AUTH = "auth";
  public static final String RATE_LIMIT = "rate-limit";
  public static final String CACHE = "cache";

  static final Map<String, Placement> PLACEMENTS = Map.of(
      AUTH, new Placement(java.util.Set.of(CAPTURE), java.util.Set.of(RATE_LIMIT)),
      RATE_LIMIT, new Placement(java.util.Set.of(AUTH), java.util.Set.of(CACHE)),
      CACHE, Placement.after(RATE_LIMIT));

  private BuiltinFilters() {
  }
}
