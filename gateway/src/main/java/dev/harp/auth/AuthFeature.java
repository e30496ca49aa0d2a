package dev.harp.auth;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.harp.node.NodeContext;
import dev.harp.node.ProxyFeature;
import dev.harp.engine.ProxyRuntime;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sessions and access (docs/auth.md): puts an {@link AuthInterceptor} first in the chain of every proxy with an
 * {@code auth:} block, and the consumer/logout API on the admin router. The session cache and the key store are
 * node-wide, shared by every proxy.
 */
public final class AuthFeature implements ProxyFeature {

  private SessionCache sessions;
  private KeyStore keys;
  private HttpClient client;
  private MessageConsumer<JsonObject> logoutConsumer;

  @Override
  public int order() {
    return ORDER_AUTH;
  }

  @Override
  public Future<Void> start(NodeContext node) {
    Vertx vertx = node.vertx();
    HazelcastInstance hazelcast = node.hazelcast();
    // Getting a map proxy may talk to other members the first time: not on an event loop.
    return vertx.executeBlocking(() -> {
      IMap<String, Decision.Cached> sessionMap = hazelcast.getMap(SessionCache.MAP);
      IMap<String, ApiKeyRecord> keyMap = hazelcast.getMap(KeyStore.MAP);
      sessions = new SessionCache(vertx, sessionMap);
      keys = new KeyStore(vertx, keyMap);
      return null;
    }, false).compose(v -> keys.start(node.config().consumers())).onSuccess(v -> {
      sessions.start();
      client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setVerifyHost(true)
          .setTcpNoDelay(true).setMaxHeaderSize(16 * 1024), new PoolOptions().setHttp1MaxSize(32));
      for (ProxyRuntime runtime : node.proxies().values()) {
        runtime.config().<AuthConfig>feature("auth").filter(c -> !c.rules().isEmpty())
            .ifPresent(c -> runtime.matchPaths());
        runtime.config().<AuthConfig>feature("auth").ifPresent(config -> runtime.addInterceptor("auth", new AuthInterceptor(
            config, keys, sessions, config.forward().map(f -> new AuthEndpoint(client, f)).orElse(null),
            new AuthMetrics(node.metrics(), runtime.name()))));
      }
      AuthAdminApi api = new AuthAdminApi(vertx, node.config(), keys, sessions);
      api.mount(node.adminRouter());
      logoutConsumer = vertx.eventBus().consumer(AuthAdminApi.LOGOUT_ADDRESS, api::onLogoutMessage);
    }).mapEmpty();
  }

  @Override
  public Future<Void> stop() {
    List<Future<?>> stopping = new ArrayList<>();
    if (logoutConsumer != null) {
      stopping.add(logoutConsumer.unregister());
    }
    if (sessions != null) {
      stopping.add(sessions.stop());
    }
    if (keys != null) {
      stopping.add(keys.stop());
    }
    if (client != null) {
      stopping.add(client.shutdown(1, TimeUnit.SECONDS));
    }
    return Future.join(stopping).mapEmpty();
  }
}
