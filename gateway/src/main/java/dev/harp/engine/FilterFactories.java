package dev.harp.engine;

import dev.harp.spi.FilterFactory;
import dev.harp.spi.Placement;

import java.net.URL;
import java.security.CodeSource;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every {@link FilterFactory} a class loader offers ({@link ServiceLoader}): HARP's built-in filters and the
 * plugins'. A factory that cannot be instantiated, or whose name is malformed, taken by another factory or by one
 * of HARP's own config keys, stops the node: {@link PluginException} names its jar and the reason.
 */
public final class FilterFactories {

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  private static final Pattern CAMEL_KEY = Pattern.compile("[a-z][a-zA-Z0-9]*");

  private final Map<String, FilterFactory<?>> byName;

  private FilterFactories(Map<String, FilterFactory<?>> byName) {
    this.byName = byName;
  }

  /**
   * @param loader   HARP's class loader, or the plugins' over it
   * @param reserved config keys under a proxy that HARP reads itself (a filter may not take one)
   */
  public static FilterFactories load(ClassLoader loader, Set<String> reserved) {
    Map<String, FilterFactory<?>> out = new LinkedHashMap<>();
    Iterator<FilterFactory> it = ServiceLoader.load(FilterFactory.class, loader).iterator();
    while (true) {
      FilterFactory<?> factory;
      try {
        if (!it.hasNext()) {
          break;
        }
        factory = it.next();
      } catch (ServiceConfigurationError e) {
        throw new PluginException(culprit(e), "filter factory cannot be loaded: " + rootMessage(e), e);
      } catch (LinkageError e) {
        throw new PluginException("(unknown jar)", "filter factory cannot be linked: " + e, e);
      }
      String where = origin(factory.getClass());
      String name;
      String key;
      Placement placement;
      try {
        name = factory.name();
        key = factory.configKey();
        placement = factory.placement();
      } catch (RuntimeException | LinkageError e) {
        throw new PluginException(where, factory.getClass().getName() + " failed to describe itself: " + e, e);
      }
      if (name == null || !NAME.matcher(name).matches()) {
        throw new PluginException(where, factory.getClass().getName() + ": name '" + name
            + "' must be lowercase words joined by '-'");
      }
      if (key == null || !(key.equals(name) || CAMEL_KEY.matcher(key).matches())) {
        throw new PluginException(where, "filter '" + name + "': config key '" + key
            + "' must be its name or letters and digits starting with a lowercase letter");
      }
      if (reserved.contains(key)) {
        throw new PluginException(where, "filter config key '" + key + "' is one of HARP's own proxy keys");
      }
      if (placement == null) {
        throw new PluginException(where, "filter '" + name + "' has no placement");
      }
      Set<String> keys;
      try {
        keys = factory.configKeys();
      } catch (RuntimeException | LinkageError e) {
        throw new PluginException(where, factory.getClass().getName() + " failed to describe itself: " + e, e);
      }
      checkKeys(where, name, keys, reserved, out.values());
      FilterFactory<?> clash = out.putIfAbsent(name, factory);
      if (clash == null) {
        String held = featureKey(factory);
        clash = out.values().stream().filter(f -> f != factory
            && ((keys.isEmpty() && keysOf(f).contains(key)) || featureKey(f).equals(held))).findFirst().orElse(null);
      }
      if (clash != null) {
        throw new PluginException(where, "filter name '" + name + "' (key '" + key + "') is taken by "
            + clash.getClass().getName() + " (" + origin(clash.getClass()) + ")");
      }
    }
    return new FilterFactories(out);
  }

  /** The several keys of a factory that reads more than one block: each a key, none HARP's or another's. */
  private static void checkKeys(String where, String name, Set<String> keys, Set<String> reserved,
                                Collection<FilterFactory<?>> others) {
    if (keys == null) {
      throw new PluginException(where, "filter '" + name + "' gave no config keys (an empty set for one block)");
    }
    for (String key : keys) {
      if (key == null || !CAMEL_KEY.matcher(key).matches()) {
        throw new PluginException(where, "filter '" + name + "': config key '" + key
            + "' must be letters and digits starting with a lowercase letter");
      }
      if (reserved.contains(key)) {
        throw new PluginException(where, "filter config key '" + key + "' is one of HARP's own proxy keys");
      }
      for (FilterFactory<?> other : others) {
        if (keysOf(other).contains(key)) {
          throw new PluginException(where, "filter '" + name + "' config key '" + key + "' is taken by "
              + other.getClass().getName() + " (" + origin(other.getClass()) + ")");
        }
      }
    }
  }

  /** The keys under a proxy a factory reads: its {@link FilterFactory#configKeys}, or its one key. */
  public static Set<String> keysOf(FilterFactory<?> factory) {
    Set<String> keys = factory.configKeys();
    return keys.isEmpty() ? Set.of(factory.configKey()) : keys;
  }

  /**
   * Where a proxy's config keeps what the factory read: under its key, or under its name for one that reads several
   * blocks. Unique among the factories, so no two filters' configs meet there.
   */
  public static String featureKey(FilterFactory<?> factory) {
    return factory.configKeys().isEmpty() ? factory.configKey() : factory.name();
  }

  public Collection<FilterFactory<?>> all() {
    return byName.values();
  }

  /** Every factory's placement by its name. */
  public Map<String, Placement> placements() {
    Map<String, Placement> out = new LinkedHashMap<>();
    // One next to the balancer has no place among the request filters.
    byName.forEach((name, factory) -> {
      if (!factory.placement().attemptPhaseOnly()) {
        out.put(name, factory.placement());
      }
    });
    return out;
  }

  public FilterFactory<?> get(String name) {
    return byName.get(name);
  }

  /** The jar (or directory) a class came from, for error messages. */
  static String origin(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    URL location = source == null ? null : source.getLocation();
    return location == null ? type.getName() : location.getPath();
  }

  private static String culprit(ServiceConfigurationError e) {
    // "dev.harp.spi.FilterFactory: Provider x.Y could not be instantiated" names the class; keep it whole.
    String m = e.getMessage();
    return m == null ? "(unknown)" : m.replaceFirst("^dev\\.harp\\.spi\\.FilterFactory: ", "");
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == t ? String.valueOf(t.getMessage()) : root.toString();
  }
}
