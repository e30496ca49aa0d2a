package dev.harp.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A path-aware view of one YAML mapping. Every typed read records a problem (with the full key path) instead of
 * throwing, and returns the default, so one pass over a file reports every mistake in it.
 */
public final class ConfigNode {

  private final JsonNode node;
  private final String path;
  private final ConfigProblems problems;

  public ConfigNode(JsonNode node, String path, ConfigProblems problems) {
    this.node = node == null ? MissingNode.getInstance() : node;
    this.path = path;
    this.problems = problems;
  }

  public String path() {
    return path;
  }

  public ConfigProblems problems() {
    return problems;
  }

  public boolean isPresent() {
    return !node.isMissingNode() && !node.isNull();
  }

  public boolean has(String key) {
    JsonNode v = node.get(key);
    return v != null && !v.isNull();
  }

  public String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public void problem(String key, String reason) {
    problems.add(key == null ? path : pathOf(key), reason);
  }

  /** Reports every key of this mapping that is not in {@code allowed}: typos never pass silently. */
  public void allowOnly(Collection<String> allowed) {
    if (!node.isObject()) {
      return;
    }
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        problems.add(pathOf(name), "unknown key (allowed here: " + String.join(", ", new TreeSet<>(allowed)) + ")");
      }
    }
  }

  /**
   * This node as a mapping block (e.g. a filter's block, which reaches its factory unchecked): anything but a
   * mapping is a problem at its path, as {@link #object} reports it, and then reads as absent.
   */
  public ConfigNode mapping() {
    if (isPresent() && !node.isObject()) {
      problems.add(path, "must be a mapping, got " + describe(node));
      return new ConfigNode(null, path, problems);
    }
    return this;
  }

  /** A nested mapping; absent gives an empty (not present) node, a non-mapping is a problem. */
  public ConfigNode object(String key) {
    JsonNode v = node.get(key);
    if (v != null && !v.isNull() && !v.isObject()) {
      problems.add(pathOf(key), "must be a mapping, got " + describe(v));
      return new ConfigNode(null, pathOf(key), problems);
    }
    return new ConfigNode(v, pathOf(key), problems);
  }

  public List<ConfigNode> objects(String key) {
    List<ConfigNode> out = new ArrayList<>();
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      problems.add(pathOf(key), "must be a list, got " + describe(v));
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      String p = pathOf(key) + "[" + i + "]";
      if (!v.get(i).isObject()) {
        problems.add(p, "must be a mapping, got " + describe(v.get(i)));
      } else {
        out.add(new ConfigNode(v.get(i), p, problems));
      }
    }
    return out;
  }

  public List<String> strings(String key) {
    List<String> out = new ArrayList<>();
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return out;
    }
    if (v.isTextual()) {
      out.add(v.asText());
      return out;
    }
    if (!v.isArray()) {
      problems.add(pathOf(key), "must be a list of strings, got " + describe(v));
      return out;
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      if (!e.isTextual()) {
        problems.add(pathOf(key) + "[" + i + "]", "must be a string, got " + describe(e));
      } else {
        out.add(e.asText());
      }
    }
    return out;
  }

  public String string(String key, String def) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
      problems.add(pathOf(key), "must be a string, got " + describe(v));
      return def;
    }
    return v.asText();
  }

  public String requiredString(String key) {
    if (!has(key)) {
      problems.add(pathOf(key), "is required");
      return null;
    }
    String s = string(key, null);
    if (s != null && s.isBlank()) {
      problems.add(pathOf(key), "must not be empty");
      return null;
    }
    return s;
  }

  public boolean bool(String key, boolean def) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isBoolean()) {
      problems.add(pathOf(key), "must be true or false, got " + describe(v));
      return def;
    }
    return v.asBoolean();
  }

  public long integer(String key, long def, long min, long max) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isIntegralNumber()) {
      problems.add(pathOf(key), "must be an integer, got " + describe(v));
      return def;
    }
    long n = v.asLong();
    if (n < min || n > max) {
      problems.add(pathOf(key), "must be between " + min + " and " + max + ", got " + n);
      return def;
    }
    return n;
  }

  public int port(String key, int def) {
    return (int) integer(key, def, 0, 65535);
  }

  public Duration duration(String key, Duration def) {
    return parsed(key, def, Durations::parse);
  }

  public long bytes(String key, long def) {
    JsonNode v = node.get(key);
    if (v != null && v.isIntegralNumber()) {
      return integer(key, def, 0, Long.MAX_VALUE);
    }
    return parsed(key, def, ByteSizes::parse);
  }

  /** Reads a string and converts it; a converter's IllegalArgumentException message becomes the problem. */
  public <T> T parsed(String key, T def, Function<String, T> parser) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return def;
    }
    if (!v.isValueNode()) {
      problems.add(pathOf(key), "must be a scalar value, got " + describe(v));
      return def;
    }
    try {
      return parser.apply(v.asText());
    } catch (IllegalArgumentException e) {
      problems.add(pathOf(key), e.getMessage());
      return def;
    }
  }

  public JsonNode raw() {
    return node;
  }

  static String describe(JsonNode v) {
    if (v.isObject()) {
      return "a mapping";
    }
    if (v.isArray()) {
      return "a list";
    }
    if (v.isTextual()) {
      return "'" + v.asText() + "'";
    }
    return v.getNodeType().name().toLowerCase() + " " + v;
  }
}
