package dev.harp.rules;

import io.vertx.core.MultiMap;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The request's header fields as CEL's {@code request.headers}: lowercase name to first value. Lookups go straight
 * to the (case-insensitive) MultiMap, so {@code request.headers['x-a']} copies nothing; only iteration and size
 * build the full map, once. A name with uppercase letters is not a key, as in the map CEL would see.
 */
final class HeaderView extends AbstractMap<String, String> {

  private final MultiMap headers;
  private Map<String, String> all;

  HeaderView(MultiMap headers) {
    this.headers = headers;
  }

  @Override
  public String get(Object key) {
    return isLowerCaseName(key) ? headers.get((String) key) : null;
  }

  @Override
  public boolean containsKey(Object key) {
    return isLowerCaseName(key) && headers.contains((String) key);
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    if (all == null) {
      Map<String, String> m = new LinkedHashMap<>();
      for (Map.Entry<String, String> e : headers) {
        m.putIfAbsent(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
      }
      all = m;
    }
    return all.entrySet();
  }

  private static boolean isLowerCaseName(Object key) {
    if (!(key instanceof String s)) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return false;
      }
    }
    return true;
  }
}
