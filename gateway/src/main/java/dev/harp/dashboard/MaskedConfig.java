package dev.harp.dashboard;

import dev.harp.config.HarpConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A node's effective config as the Config view shows it: the validated records (defaults filled in, secret
 * references resolved) turned into JSON, with every value under a secret-looking key masked. Feature settings are
 * walked the same way when they are records; any other object shows only its type, since its toString might print a
 * secret. Masked values get a SHA-256 fingerprint that stays inside the cluster: the coordinator compares them to
 * tell whether nodes hold the same secret, and never sends them to a browser.
 */
final class MaskedConfig {

  static final String MASK = "••••••";
  /** Over-masking is harmless, a leak is not: any key that mentions one of these is masked. */
  private static final Pattern SECRET_WORD = Pattern.compile(
      "(?i).*(password|passwd|secret|token|credential|authorization|cookie|api.?key|salt|hash|private).*");
  /** And any key that is, or ends in, "key"/"keys" (apiKey, signingKeys; not keyBy). */
  private static final Pattern KEY_SUFFIX = Pattern.compile("(?:[kK]eys?|.*[a-z0-9_-]Keys?|.*[_-][kK]eys?)");

  private final JsonObject masked;
  private final Map<String, String> fingerprints = new TreeMap<>();
  private final java.util.Set<String> secretValues = new java.util.LinkedHashSet<>();

  private MaskedConfig(HarpConfig config) {
    this.masked = (JsonObject) walk(config, "");
  }

  static MaskedConfig of(HarpConfig config) {
    return new MaskedConfig(config);
  }

  JsonObject masked() {
    return masked;
  }

  /** Path of each masked value to its fingerprint (cluster-internal only). */
  Map<String, String> fingerprints() {
    return fingerprints;
  }

  /**
   * The raw values this config masks (injected credentials, keys): the transaction capture scrubs them from every
   * header and body preview, so a credential HARP adds upstream never shows even when an upstream echoes it.
   */
  java.util.Set<String> secretValues() {
    return secretValues;
  }

  static boolean isSecretKey(String key) {
    return SECRET_WORD.matcher(key).matches() || KEY_SUFFIX.matcher(key).matches();
  }

  private Object walk(Object value, String path) {
    if (value == null || value instanceof String || value instanceof Boolean || value instanceof Number) {
      return value;
    }
    if (value instanceof Optional<?> o) {
      return walk(o.orElse(null), path);
    }
    if (value instanceof Duration d) {
      return duration(d);
    }
    if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
    if (value instanceof Collection<?> c) {
      if (value instanceof java.util.Set<?> set) {
        // A set's iteration order differs between JVMs: sort, or equal configs would look different.
        c = set.stream().sorted(Comparator.comparing(String::valueOf)).toList();
      }
      JsonArray out = new JsonArray();
      int i = 0;
      for (Object item : c) {
        out.add(walk(item, path + "[" + i++ + "]"));
      }
      return out;
    }
    if (value instanceof Map<?, ?> m) {
      JsonObject out = new JsonObject();
      new TreeMap<>(m.entrySet().stream().collect(java.util.stream.Collectors.toMap(
          en -> String.valueOf(en.getKey()), Map.Entry::getValue))).forEach((k, v) -> put(out, path, k, v));
      return out;
    }
    if (value.getClass().isRecord()) {
      JsonObject out = new JsonObject();
      // A record that writes its own toString and leaves a value out of it (e.g. an injected header's value) says
      // that value is secret, whatever its component is called.
      String shown = ownToString(value.getClass()) ? String.valueOf(value) : null;
      for (RecordComponent rc : value.getClass().getRecordComponents()) {
        Object v = read(rc, value);
        if (shown != null && v instanceof String str && !str.isEmpty() && !shown.contains(str)) {
          mask(out, path, rc.getName(), v);
        } else if (rc.getName().equals("features") && v instanceof Map<?, ?> features) {
          // A proxy's feature blocks sit directly under the proxy in YAML: show them there.
          features.forEach((k, fv) -> put(out, path, String.valueOf(k), fv));
        } else if (!rc.getName().equals("source")) {
          put(out, path, rc.getName(), v);
        }
      }
      return out;
    }
    return "(" + value.getClass().getSimpleName() + ")";
  }

  private void put(JsonObject out, String path, String key, Object v) {
    String p = path.isEmpty() ? key : path + "." + key;
    if (isSecretKey(key) && v != null && !(v instanceof Boolean)) {
      mask(out, path, key, v);
    } else {
      out.put(key, walk(v, p));
    }
  }

  private void mask(JsonObject out, String path, String key, Object v) {
    out.put(key, MASK);
    fingerprints.put(path.isEmpty() ? key : path + "." + key, sha256(String.valueOf(walkUnmasked(v))));
    Object raw = walkUnmasked(v);
    if (raw instanceof String str) {
      secretValues.add(str);
    } else if (raw instanceof Collection<?> c) {
      c.forEach(item -> {
        if (item instanceof String str) {
          secretValues.add(str);
        }
      });
    }
  }

  private static boolean ownToString(Class<?> type) {
    try {
      return type.getDeclaredMethod("toString").getDeclaringClass() == type;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /** The value's shape for the fingerprint only; nested secrets are fingerprinted with their parent. */
  private static Object walkUnmasked(Object v) {
    return v instanceof Optional<?> o ? o.orElse(null) : v;
  }

  private static Object read(RecordComponent rc, Object record) {
    try {
      rc.getAccessor().setAccessible(true);
      return rc.getAccessor().invoke(record);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return "(unreadable)";
    }
  }

  private static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms % 60_000 == 0 && ms != 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
