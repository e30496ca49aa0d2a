package dev.harp.spi;

import java.util.Set;

/**
 * Where a filter sits in the pipeline, as constraints instead of a number: it runs after every filter named in
 * {@code after} and before every one named in {@code before}. The node sorts all filters of a proxy by these
 * constraints and refuses to start when they contradict each other, or when two filters could run in either order
 * and neither says which (a tie), naming both. HARP's own filters are named {@code ban}, {@code capture},
 * {@code auth}, {@code rate-limit}, {@code cache}; a name no filter of the proxy has is ignored.
 *
 * <p>A filter that acts only on attempts may sit {@link #nextToBalancer() next to the balancer} instead.
 *
 * @param after            filters this one runs after
 * @param before           filters this one runs before
 * @param attemptPhaseOnly whether the filter sits next to the balancer, at the attempt phase only (see
 *                         {@link #nextToBalancer()})
 */
public record Placement(Set<String> after, Set<String> before, boolean attemptPhaseOnly) {

  /**
   * Copies the sets.
   *
   * @param after            filters this one runs after
   * @param before           filters this one runs before
   * @param attemptPhaseOnly whether the filter sits next to the balancer, at the attempt phase only
   */
  public Placement {
    after = Set.copyOf(after);
    before = Set.copyOf(before);
    if (attemptPhaseOnly && !(after.isEmpty() && before.isEmpty())) {
      throw new IllegalArgumentException("a filter next to the balancer is not placed among the request filters");
    }
  }

  /**
   * A placement among the request-phase filters.
   *
   * @param after  filters this one runs after
   * @param before filters this one runs before
   */
  public Placement(Set<String> after, Set<String> before) {
    this(after, before, false);
  }

  /**
   * For a filter that acts only at the attempt phase ({@link Filter#chooseEndpoint}, {@link Filter#onAttempt},
   * {@link Filter#unavailable}, {@link Filter#bodyReplayLimit}), as HARP's resilience does: its endpoint choice is
   * the innermost, the last before the balancer's pick, inside every other filter's. It has no place in the request
   * pipeline: its request, body, response and completion phases are never called, {@code harp filters} does not
   * list it, and a proxy's {@code filters:} list cannot name it. Several such filters stand around the balancer in
   * the order their factories were loaded.
   *
   * @return the placement
   */
  public static Placement nextToBalancer() {
    return new Placement(Set.of(), Set.of(), true);
  }

  /**
   * @param names the filters this one runs after
   * @return the placement
   */
  public static Placement after(String... names) {
    return new Placement(Set.of(names), Set.of());
  }

  /**
   * @param names the filters this one runs before
   * @return the placement
   */
  public static Placement before(String... names) {
    return new Placement(Set.of(), Set.of(names));
  }

  /**
   * @param names further filters this one runs before
   * @return this placement with those added
   */
  public Placement andBefore(String... names) {
    java.util.Set<String> b = new java.util.HashSet<>(before);
    b.addAll(Set.of(names));
    return new Placement(after, b, attemptPhaseOnly);
  }
}
