package dev.harp.engine;

import dev.harp.spi.Placement;

import java.util.Map;

/**
 * Where HARP's own request-phase filters sit, as placements like any filter's. The built-ins that are SPI filters
 * bring their own ({@code ban} and {@code rate-limit} return theirs from here); every known factory's placement
 * reaches each proxy's order ({@link Pipelines.Known}). The order they give: a banned
 * client is refused before any work; capture previews the request as the client sent it (after ban, before auth);
 * auth identifies the client; rate limits charge the identified client; the cache answers last, so a hit still
 * passed auth and limits. Resilience is not in this list: it acts on attempts, not requests.
 */
public final class BuiltinFilters {

  /** First of all: every exchange that reaches the pipeline is recorded, refused ones too. */
  public static final String AUDIT = "audit";
  public static final String BAN = "ban";
  /** An SPI filter now ({@code dev.harp.capture.CaptureFilterFactory}); auth is still placed after it. */
  public static final String CAPTURE = "capture";
  public static final String AUTH = "auth";
  public static final String RATE_LIMIT = "rate-limit";
  public static final String CACHE = "cache";

  static final Map<String, Placement> PLACEMENTS = Map.of(
      AUDIT, Placement.before(BAN),
      BAN, Placement.before(CAPTURE, AUTH, RATE_LIMIT, CACHE),
      CAPTURE, new Placement(java.util.Set.of(BAN), java.util.Set.of(AUTH)),
      AUTH, new Placement(java.util.Set.of(CAPTURE), java.util.Set.of(RATE_LIMIT)),
      RATE_LIMIT, new Placement(java.util.Set.of(AUTH), java.util.Set.of(CACHE)),
      CACHE, Placement.after(RATE_LIMIT));

  /**
   * Where one of HARP's own filters sits. Kept in this one table, not only in each factory, because a proxy's order
   * is resolved through the filters it lacks too: a plugin placed before {@code rate-limit} on a proxy without rate
   * limits still runs before {@code cache}.
   */
  public static Placement placement(String name) {
    Placement p = PLACEMENTS.get(name);
    if (p == null) {
      throw new IllegalArgumentException("not one of HARP's filters: " + name);
    }
    return p;
  }

  private BuiltinFilters() {
  }
}
