package dev.harp.engine;

import dev.harp.config.ProxyConfig.HashKey;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import java.util.Arrays;
import java.util.List;

/**
 * Consistent hashing on a request key (a header, cookie, query parameter, the path or the client address): the
 * same key goes to the same endpoint while it is available, for cache locality or a sticky WebSocket. Each endpoint
 * owns points on a ring in proportion to its weight; a key goes to the first admitted owner clockwise from its hash,
 * so an endpoint that goes down moves only its own keys, and they come back when it does. A request without the key
 * is balanced round-robin.
 */
final class ConsistentHashBalancer implements LoadBalancer {

  /** Points per unit of weight: ~±10% load spread between endpoints of equal weight. */
  private static final int POINTS_PER_WEIGHT = 100;
  private static final int MAX_POINTS = 50_000;

  private final HashKey key;
  private final LoadBalancer keyless;
  private final long[] ring;
  private final UpstreamEndpoint[] owners;
  private final int endpointCount;
  private final int maxId;

  ConsistentHashBalancer(List<UpstreamEndpoint> endpoints, HashKey key, LoadBalancer keyless) {
    this.key = key;
    this.keyless = keyless;
    this.endpointCount = endpoints.size();
    this.maxId = endpoints.stream().mapToInt(UpstreamEndpoint::id).max().orElse(0);
    int totalWeight = endpoints.stream().mapToInt(UpstreamEndpoint::weight).sum();
    int perWeight = Math.max(1, Math.min(POINTS_PER_WEIGHT, MAX_POINTS / totalWeight));
    int size = totalWeight * perWeight;
    long[][] points = new long[size][];
    int p = 0;
    for (UpstreamEndpoint e : endpoints) {
      for (int i = 0; i < e.weight() * perWeight; i++) {
        points[p++] = new long[] {hash(e.label() + "#" + i), e.id()};
      }
    }
    Arrays.sort(points, (a, b) -> Long.compare(a[0], b[0]));
    ring = new long[size];
    owners = new UpstreamEndpoint[size];
    for (int i = 0; i < size; i++) {
      ring[i] = points[i][0];
      long id = points[i][1];
      owners[i] = endpoints.stream().filter(e -> e.id() == id).findFirst().orElseThrow();
    }
  }

  @Override
  public UpstreamEndpoint pickForRetry(HttpServerRequest request, EndpointFilter filter) {
    String value = keyOf(request);
    return value == null || value.isEmpty() ? keyless.pickForRetry(request, filter) : walk(value, filter);
  }

  @Override
  public UpstreamEndpoint pick(HttpServerRequest request, EndpointFilter filter) {
    String value = keyOf(request);
    return value == null || value.isEmpty() ? keyless.pick(request, filter) : walk(value, filter);
  }

  private UpstreamEndpoint walk(String value, EndpointFilter filter) {
    int at = Arrays.binarySearch(ring, hash(value));
    if (at < 0) {
      at = -at - 1;
    }
    // Walk clockwise; stop once every distinct endpoint was looked at (they all own many points).
    boolean[] seen = null;
    int seenCount = 0;
    for (int step = 0; step < ring.length && seenCount < endpointCount; step++) {
      UpstreamEndpoint candidate = owners[(at + step) % ring.length];
      if (seen != null && seen[candidate.id()]) {
        continue;
      }
      if (filter.admits(candidate)) {
        return candidate;
      }
      if (seen == null) {
        seen = new boolean[maxId + 1];
      }
      seen[candidate.id()] = true;
      seenCount++;
    }
    return null;
  }

  private String keyOf(HttpServerRequest request) {
    return switch (key.source()) {
      case HEADER -> request.getHeader(key.name());
      case QUERY -> request.getParam(key.name());
      case PATH -> request.path();
      case COOKIE -> cookie(request.getHeader("cookie"), key.name());
      case CLIENT_IP -> {
        SocketAddress remote = request.remoteAddress();
        yield remote == null ? null : remote.hostAddress();
      }
    };
  }

  /** The value of one cookie in a Cookie header ({@code a=1; b=2}), without parsing the others. */
  static String cookie(String header, String name) {
    if (header == null) {
      return null;
    }
    int from = 0;
    while (from < header.length()) {
      int end = header.indexOf(';', from);
      if (end < 0) {
        end = header.length();
      }
      int eq = header.indexOf('=', from);
      if (eq > 0 && eq < end && header.substring(from, eq).trim().equals(name)) {
        return header.substring(eq + 1, end).trim();
      }
      from = end + 1;
    }
    return null;
  }

  /** 64-bit FNV-1a, then Murmur3's finaliser so nearby strings ("x#1", "x#2") land far apart on the ring. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= s.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
