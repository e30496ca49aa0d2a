package dev.harp.rules;

import dev.harp.spi.FilterContext;
import io.vertx.core.Vertx;

import java.util.Map;
import java.util.TreeMap;

/** A filter context whose counters are a map, keyed {@code name{label=value,...}}. */
final class TestContext implements FilterContext {

  final Map<String, Integer> counts = new TreeMap<>();

  @Override
  public Vertx vertx() {
    throw new UnsupportedOperationException();
  }

  @Override
  public String nodeName() {
    return "test-node";
  }

  @Override
  public String proxyName() {
    return "api";
  }

  @Override
  public Runnable counter(String name, String... labels) {
    StringBuilder key = new StringBuilder(name).append('{');
    for (int i = 0; i < labels.length; i += 2) {
      key.append(i == 0 ? "" : ",").append(labels[i]).append('=').append(labels[i + 1]);
    }
    String k = key.append('}').toString();
    counts.putIfAbsent(k, 0);
    return () -> counts.merge(k, 1, Integer::sum);
  }

  int count(String key) {
    return counts.getOrDefault(key, -1);
  }
}
