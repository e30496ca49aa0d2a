package dev.harp.engine;

import dev.harp.spi.Placement;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders a proxy's filters by their {@link Placement}s. Constraints are followed through filters the proxy does not
 * have (a filter after {@code auth} is after {@code capture} too, even on a proxy without auth). The order must be
 * the only one the constraints allow: two filters neither of which is placed relative to the other are a tie, and
 * a tie is refused, as is a cycle, since either would make the order depend on load order.
 */
public final class PipelineOrder {

  /** The order, or why there is none. */
  public sealed interface Result permits Ordered, Refused {
  }

  public record Ordered(List<String> names) implements Result {
  }

  public record Refused(String reason) implements Result {
  }

  private PipelineOrder() {
  }

  /**
   * @param present    the names of the proxy's filters
   * @param placements every known filter's placement (built-ins and factories), present or not
   */
  public static Result resolve(Set<String> present, Map<String, Placement> placements) {
    Set<String> all = new LinkedHashSet<>(placements.keySet());
    all.addAll(present);
    List<String> names = new ArrayList<>(all);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      index.put(names.get(i), i);
    }
    int n = names.size();
    boolean[][] before = new boolean[n][n]; // before[a][b]: a runs before b
    for (Map.Entry<String, Placement> e : placements.entrySet()) {
      int self = index.get(e.getKey());
      for (String b : e.getValue().before()) {
        Integer other = index.get(b);
        if (other != null) {
          before[self][other] = true;
        }
      }
      for (String a : e.getValue().after()) {
        Integer other = index.get(a);
        if (other != null) {
          before[other][self] = true;
        }
      }
    }
    for (int k = 0; k < n; k++) { // transitive closure (Floyd-Warshall); n is a handful
      for (int i = 0; i < n; i++) {
        if (before[i][k]) {
          for (int j = 0; j < n; j++) {
            before[i][j] |= before[k][j];
          }
        }
      }
    }
    for (int i = 0; i < n; i++) {
      if (before[i][i] && present.contains(names.get(i))) {
        return new Refused("filter '" + names.get(i) + "' is placed both before and after another filter "
            + "(a cycle in the placements)");
      }
    }
    List<String> ordered = new ArrayList<>();
    for (String name : names) {
      if (present.contains(name)) {
        ordered.add(name);
      }
    }
    // With a strict partial order, sorting by "how many present filters run before me" gives a topological order;
    // it is the only one exactly when every neighbouring pair is ordered.
    Map<String, Integer> rank = new HashMap<>();
    for (String a : ordered) {
      int count = 0;
      for (String b : ordered) {
        if (before[index.get(b)][index.get(a)]) {
          count++;
        }
      }
      rank.put(a, count);
    }
    ordered.sort((a, b) -> Integer.compare(rank.get(a), rank.get(b)));
    for (int i = 0; i + 1 < ordered.size(); i++) {
      String a = ordered.get(i);
      String b = ordered.get(i + 1);
      if (!before[index.get(a)][index.get(b)]) {
        String first = a.compareTo(b) < 0 ? a : b; // named alphabetically: the message must not depend on hashing
        String second = first.equals(a) ? b : a;
        return new Refused("filters '" + first + "' and '" + second + "' could run in either order: place one"
            + " before or after the other, or list the order in the proxy's 'filters:'");
      }
    }
    return new Ordered(List.copyOf(ordered));
  }

  /** Checks a proxy's own {@code filters:} list against the filters it has; null when it fits. */
  public static String checkOverride(List<String> listed, Set<String> present) {
    Set<String> seen = new HashSet<>();
    for (String name : listed) {
      if (!seen.add(name)) {
        return "lists '" + name + "' twice";
      }
      if (!present.contains(name)) {
        return "lists '" + name + "', which this proxy does not have (it has " + present + ")";
      }
    }
    for (String name : present) {
      if (!seen.contains(name)) {
        return "does not list '" + name + "' (it must list every filter of the proxy: " + present + ")";
      }
    }
    return null;
  }
}
