package dev.harp.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Environment overrides: {@code HARP_<SEG>__<SEG>...=value} sets the value at that key path. Segments match keys
 * case-insensitively; a list element is chosen by index or by its {@code name} ({@code HARP_PROXIES__CATALOG__PORT}).
 * The value is read as YAML, so {@code 4001}, {@code true} and {@code [a, b]} keep their types. Only variables
 * containing {@code __} are overrides, so {@code HARP_LOG_FORMAT} and friends are left alone.
 */
final class EnvOverrides {

  static final String PREFIX = "HARP_";

  private EnvOverrides() {
  }

  static void apply(ObjectNode root, Map<String, String> env, ConfigProblems problems) {
    // Sorted so the result does not depend on the environment's iteration order.
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      String var = e.getKey();
      if (!var.startsWith(PREFIX) || !var.contains("__")) {
        continue;
      }
      String[] segments = var.substring(PREFIX.length()).split("__");
      JsonNode value;
      try {
        value = ConfigLoader.YAML.readTree(e.getValue());
      } catch (Exception ex) {
        problems.add("env " + var, "value is not valid YAML: " + ex.getMessage());
        continue;
      }
      set(root, segments, value, var, problems);
    }
  }

  private static void set(ObjectNode root, String[] segments, JsonNode value, String var, ConfigProblems problems) {
    JsonNode current = root;
    for (int i = 0; i < segments.length; i++) {
      String seg = segments[i];
      boolean last = i == segments.length - 1;
      if (current instanceof ObjectNode obj) {
        String key = matchKey(obj, seg);
        if (last) {
          obj.set(key, value);
          return;
        }
        JsonNode next = obj.get(key);
        if (next == null || next.isNull()) {
          next = obj.putObject(key);
        }
        current = next;
      } else if (current instanceof ArrayNode arr) {
        int index = indexOf(arr, seg);
        if (index < 0) {
          problems.add("env " + var, "no list element '" + seg + "' (use an index or the element's name)");
          return;
        }
        if (last) {
          arr.set(index, value);
          return;
        }
        current = arr.get(index);
      } else {
        problems.add("env " + var, "cannot descend into a scalar at '" + seg + "'");
        return;
      }
    }
  }

  private static String matchKey(ObjectNode obj, String seg) {
    Iterator<String> names = obj.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (n.equalsIgnoreCase(seg)) {
        return n;
      }
    }
    return seg.toLowerCase();
  }

  private static int indexOf(ArrayNode arr, String seg) {
    if (seg.chars().allMatch(Character::isDigit)) {
      int i = Integer.parseInt(seg);
      return i < arr.size() ? i : -1;
    }
    for (int i = 0; i < arr.size(); i++) {
      JsonNode name = arr.get(i).get("name");
      if (name != null && name.asText().equalsIgnoreCase(seg)) {
        return i;
      }
    }
    return -1;
  }
}
