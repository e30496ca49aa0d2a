package dev.harp.dashboard;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Whether the nodes run the same config. Values are compared leaf by leaf, proxies by name rather than position.
 * Some settings differ by design (a node's name, its addresses and ports): those are listed as per-node and do not
 * count as disagreement. Secrets are compared by fingerprint and shown only as "secret #1", "secret #2".
 */
final class ConfigCompare {

  private static final Pattern PER_NODE = Pattern.compile(
      "node\\..*|admin\\..*|cluster\\.(iface|port|eventBusPort)|proxies\\[[^]]*]\\.(bind|port)");

  private ConfigCompare() {
  }

  static boolean perNode(String path) {
    return PER_NODE.matcher(path).matches();
  }

  /** @param replies one per node: {node, config (masked), fingerprints} */
  static JsonObject compare(List<JsonObject> replies) {
    Map<String, Map<String, String>> byPath = new TreeMap<>();
    List<String> nodes = new ArrayList<>();
    JsonObject configs = new JsonObject();
    for (JsonObject r : replies) {
      String node = r.getString("node");
      nodes.add(node);
      configs.put(node, r.getJsonObject("config"));
      Map<String, String> leaves = new LinkedHashMap<>();
      flatten(r.getJsonObject("config"), "", leaves);
      JsonObject fp = r.getJsonObject("fingerprints", new JsonObject());
      fp.forEach(en -> leaves.put(byName(en.getKey(), r.getJsonObject("config")), "fp:" + en.getValue()));
      leaves.forEach((path, v) -> byPath.computeIfAbsent(path, k -> new TreeMap<>()).put(node, v));
    }
    JsonArray differences = new JsonArray();
    boolean agree = true;
    for (Map.Entry<String, Map<String, String>> e : byPath.entrySet()) {
      Map<String, String> values = e.getValue();
      boolean same = values.size() == nodes.size() && new TreeSet<>(values.values()).size() == 1;
      if (same) {
        continue;
      }
      boolean perNode = perNode(e.getKey());
      agree &= perNode;
      differences.add(new JsonObject().put("path", e.getKey()).put("perNode", perNode)
          .put("values", shown(nodes, values)));
    }
    return new JsonObject().put("nodes", new JsonArray(nodes)).put("configs", configs).put("agree", agree)
        .put("differences", differences);
  }

  private static JsonObject shown(List<String> nodes, Map<String, String> values) {
    JsonObject out = new JsonObject();
    List<String> secrets = new ArrayList<>();
    for (String node : nodes) {
      String v = values.get(node);
      if (v == null) {
        out.put(node, "(absent)");
      } else if (v.startsWith("fp:")) {
        if (!secrets.contains(v)) {
          secrets.add(v);
        }
        out.put(node, "secret #" + (secrets.indexOf(v) + 1));
      } else {
        out.put(node, v);
      }
    }
    return out;
  }

  /** Leaf path to its JSON text; list items of {@code proxies} are keyed by their name. */
  static void flatten(Object value, String path, Map<String, String> out) {
    if (value instanceof JsonObject o) {
      for (String k : o.fieldNames()) {
        flatten(o.getValue(k), path.isEmpty() ? k : path + "." + k, out);
      }
    } else if (value instanceof JsonArray a && path.equals("proxies")) {
      for (int i = 0; i < a.size(); i++) {
        Object item = a.getValue(i);
        String name = item instanceof JsonObject p ? p.getString("name", String.valueOf(i)) : String.valueOf(i);
        flatten(item, "proxies[" + name + "]", out);
      }
    } else if (!MaskedConfig.MASK.equals(value)) {
      out.put(path, value instanceof JsonArray a ? a.encode() : Objects.toString(value));
    }
  }

  /** Fingerprint paths are positional ("proxies[0].x"); the comparison keys proxies by name. */
  private static String byName(String path, JsonObject config) {
    if (!path.startsWith("proxies[")) {
      return path;
    }
    int close = path.indexOf(']');
    int index = Integer.parseInt(path.substring(8, close));
    JsonArray proxies = config.getJsonArray("proxies", new JsonArray());
    String name = index < proxies.size() ? proxies.getJsonObject(index).getString("name", "" + index) : "" + index;
    return "proxies[" + name + "]" + path.substring(close + 1);
  }
}
