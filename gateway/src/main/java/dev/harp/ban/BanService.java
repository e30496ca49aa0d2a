package dev.harp.ban;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** Making and lifting bans: the store, then the event and the meters. Used by the counter and the admin API. */
final class BanService {

  private static final Logger LOG = LoggerFactory.getLogger("harp.ban");

  private final Vertx vertx;
  private final String node;
  private final BanStore store;
  private final BanEvents events;
  private final BanMetrics metrics;

  BanService(Vertx vertx, String node, BanStore store, BanMetrics metrics) {
    this.vertx = vertx;
    this.node = node;
    this.store = store;
    this.events = new BanEvents(vertx, node);
    this.metrics = metrics;
  }

  String node() {
    return node;
  }

  BanStore store() {
    return store;
  }

  Future<BanRecord> ban(BanRecord ban) {
    return store.put(ban, vertx.getOrCreateContext()).onSuccess(b -> {
      metrics.banned(b.proxy(), b.source());
      events.banned(b);
      LOG.atInfo().addKeyValue("proxy", b.proxy()).addKeyValue("client", b.client())
          .log("banned {} from {} until {} ({}: {})", b.client(), b.proxy(), java.time.Instant.ofEpochMilli(
              b.untilMillis()), b.source(), b.reason());
    });
  }

  /** Lifts the client's bans in the given scopes; the answer lists those that were in force. */
  Future<List<BanRecord>> lift(String client, List<String> scopes) {
    List<Future<BanRecord>> removals = new ArrayList<>();
    for (String scope : scopes) {
      removals.add(store.remove(scope, client, vertx.getOrCreateContext()));
    }
    return Future.all(removals).map(all -> {
      List<BanRecord> lifted = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        BanRecord b = all.resultAt(i);
        if (b != null) {
          lifted.add(b);
          metrics.lifted(b.proxy());
          events.lifted(b);
          LOG.atInfo().addKeyValue("proxy", b.proxy()).addKeyValue("client", b.client())
              .log("lifted the ban of {} from {}", b.client(), b.proxy());
        }
      }
      return lifted;
    });
  }
}
