package dev.harp.engine;

import io.vertx.core.http.HttpConnection;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Tells a pooled keep-alive connection from a new one, for one proxy verticle's upstream client (one event loop, so
 * no locking). A request that dies on a reused connection before any answer most likely met the upstream closing it
 * as idle (its keep-alive timeout raced ours); on a new connection the same failure says something about the
 * upstream. {@link HttpForwarder} resends only the first kind.
 */
final class UpstreamConnections {

  /** Connections opened and not yet given a request; removed at first use or when closed unused. */
  private final Set<HttpConnection> unused = Collections.newSetFromMap(new IdentityHashMap<>());

  /** The client's connect handler: Vert.x calls it, on the requester's context, before the first request's lease. */
  void opened(HttpConnection connection) {
    unused.add(connection);
    connection.closeHandler(v -> unused.remove(connection));
  }

  /** Whether {@code connection} carried a request before this one; call once per request. */
  boolean reused(HttpConnection connection) {
    return !unused.remove(connection);
  }
}
