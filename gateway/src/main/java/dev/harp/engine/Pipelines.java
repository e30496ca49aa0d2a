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

  private Pipelines() {
  }

  /** Every placement the proxy's filters and HARP's own give. */
  public static Map<String, Placement> placements(ProxyConfig proxy) {
    Map<String, Placement> out = new HashMap<>(BuiltinFilters.PLACEMENTS);
    for (Object block : proxy.features().values()) {
      if (block instanceof FilterBlock fb) {
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

  /** The filters a proxy has by its config: built-ins whose block is present, and every filter block. */
  public static Set<String> fromConfig(ProxyConfig proxy) {
    Set<String> present = new LinkedHashSet<>();
    Map<String, String> builtinKeys = Map.of("auth", BuiltinFilters.AUTH, "rateLimit", BuiltinFilters.RATE_LIMIT, "cache", BuiltinFilters.CACHE);
    for (Map.Entry<String, Object> e : proxy.features().entrySet()) {
      if (e.getValue() instanceof FilterBlock fb) {
        present.add(fb.factory().name());
      } else if (builtinKeys.containsKey(e.getKey())) {
        present.add(builtinKeys.get(e.getKey()));
      }
    }
    return present;
  }
}
