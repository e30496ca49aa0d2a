package dev.harp.spi;

import java.util.Set;

/**
 * Where a filter sits in the pipeline, as constraints instead of a number: it runs after every filter named in
 * {@code after} and before every one named in {@code before}. The node sorts all filters of a proxy by these
 * constraints and refuses to start when they contradict each other, or when two filters could run in either order
 * and neither says which (a tie), naming both. HARP's own filters are named {@code ban}, {@code capture},
 * {@code auth}, {@code rate-limit}, {@code cache}; a name no filter of the proxy has is ignored.
 *
 * @param after  filters this one runs after
 * @param before filters this one runs before
 */
public record Placement(Set<String> after, Set<String> before) {

  /**
   * Copies the sets.
   *
   * @param after  filters this one runs after
   * @param before filters this one runs before
   */
  public Placement {
    after = Set.copyOf(after);
    before = Set.copyOf(before);
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
    return new Placement(after, b);
  }
}
