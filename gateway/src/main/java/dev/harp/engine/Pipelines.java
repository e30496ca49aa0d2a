package dev.harp.engine;

import dev.harp.config.ProxyConfig;
import dev.harp.spi.FilterFactory;
import dev.harp.spi.Placement;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A proxy's pipeline from its config alone: which filters it has (HARP's own, by their blocks; every filter block)
 * and in which order. Used to validate a config and by {@code harp filters}; the running node arranges the stages
 * its features actually registered with the same {@link PipelineOrder}.
 */
public final class Pipelines {

  /** The proxy key holding an explicit order, overriding placements. */
  public static final String OVERRIDE_KEY = "filters";
  /** Where a proxy's config keeps {@link Known} (no config file can write this key: it is not a proxy key). */
  public static final String KNOWN_KEY = "harp.knownFilters";

  /**
   * The placements of every filter factory the node knows, present on this proxy or not: an order is known through
   * a filter the proxy does not have (a plugin placed after {@code auth} runs after {@code ban} on a proxy without
   * auth too, since auth runs after ban).
   */
  public record Known(Map<String, Placement> placements) {

    public Known {
      placements = Map.copyOf(placements);
    }

    @Override
    public String toString() {
      return "Known" + new java.util.TreeSet<>(placements.keySet());
    }
  }

  private Pipelines() {
  }

  /** Every placement HARP's own, every known factory (see {@link Known}) and the proxy's filters give. */
  public static Map<String, Placement> placements(ProxyConfig proxy) {
    Map<String, Placement> out = new HashMap<>(BuiltinFilters.PLACEMENTS);
    proxy.<Known>feature(KNOWN_KEY).ifPresent(known -> out.putAll(known.placements()));
    for (Object block : proxy.features().values()) {
      if (block instanceof FilterBlock fb && !fb.factory().placement().attemptPhaseOnly()) {
        FilterFactory<Object> f = fb.factory();
        out.put(f.name(), f.placement());
      }
    }
    return out;
  }

  /** The order of {@code present} on this proxy: its {@code filters:} list, or the placements' only order. */
  public static PipelineOrder.Result order(ProxyConfig proxy, Set<String> present) {
    List<String> override = proxy.<List<String>>feature(OVERRIDE_KEY).orElse(null);
    if (override != null) {
      String problem = PipelineOrder.checkOverride(override, present);
      return problem == null ? new PipelineOrder.Ordered(override) : new PipelineOrder.Refused("filters: " + problem);
    }
    return PipelineOrder.resolve(present, placements(proxy));
  }

  /**
   * The filters a proxy has by its config: every filter block (HARP's own filters are filters too) but those next to
   * the balancer, which are not in the request pipeline (resilience).
   */
  public static Set<String> fromConfig(ProxyConfig proxy) {
    Set<String> present = new LinkedHashSet<>();
    for (Object block : proxy.features().values()) {
      if (block instanceof FilterBlock fb && !fb.factory().placement().attemptPhaseOnly()) {
        present.add(fb.factory().name());
      }
    }
    return present;
  }
}
