package dev.harp.auth;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.harp.config.HarpConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node's auth machinery, which every proxy's auth filter shares (docs/auth.md): the cluster-wide session cache,
 * the consumers' key store (seeded from the top-level {@code consumers}), the client that calls auth endpoints, and
 * the consumer/logout API on the admin router and the event bus. Made once per node, by the first auth filter
 * created, off the event loops (it calls Hazelcast).
 */
final class AuthNode {

  final SessionCache sessions;
  final KeyStore keys;
  final HttpClient client;
  private final MessageConsumer<JsonObject> logoutConsumer;

  private AuthNode(SessionCache sessions, KeyStore keys, HttpClient client,
                   MessageConsumer<JsonObject> logoutConsumer) {
    this.sessions = sessions;
    this.keys = keys;
    this.client = client;
    this.logoutConsumer = logoutConsumer;
  }

  /** Starts the machinery and mounts the admin API; blocks on Hazelcast, so never on an event loop. */
  static AuthNode start(Vertx vertx, HazelcastInstance hazelcast, Router admin, HarpConfig config) {
    // Getting a map proxy may talk to other members the first time.
    IMap<String, Decision.Cached> sessionMap = hazelcast.getMap(SessionCache.MAP);
    IMap<String, ApiKeyRecord> keyMap = hazelcast.getMap(KeyStore.MAP);
    SessionCache sessions = new SessionCache(vertx, sessionMap);
    KeyStore keys = new KeyStore(vertx, keyMap);
    keys.start(config.consumers());
    sessions.start();
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setVerifyHost(true)
        .setTcpNoDelay(true).setMaxHeaderSize(16 * 1024), new PoolOptions().setHttp1MaxSize(32));
    AuthAdminApi api = new AuthAdminApi(vertx, config, keys, sessions);
    api.mount(admin);
    MessageConsumer<JsonObject> logout = vertx.eventBus().consumer(AuthAdminApi.LOGOUT_ADDRESS, api::onLogoutMessage);
    return new AuthNode(sessions, keys, client, logout);
  }

  /** Releases the listeners, timers and the client, after the proxies drained. */
  Future<Void> stop() {
    return Future.join(List.of(logoutConsumer.unregister(), sessions.stop(), keys.stop(),
        client.shutdown(1, TimeUnit.SECONDS))).mapEmpty();
  }
}
