package dev.harp.node;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Partition safety gates readiness once: before it, an unsafe or unanswered check means not ready; after it, a
 * peer that stops answering (frozen) neither delays the answer nor makes the node unready, so keepalived keeps the
 * VIP on the healthy nodes.
 */
class ReadinessTest {

  private final AtomicInteger members = new AtomicInteger(3);
  private final AtomicReference<Future<Boolean>> safety = new AtomicReference<>();
  private final Readiness readiness = new Readiness();

  ReadinessTest() {
    readiness.cluster(new Readiness.ClusterHealth(members::get, safety::get));
    readiness.proxiesListening(true);
  }

  @Test
  void notReadyUntilPartitionsWereSafeOnceThenAPeerThatHangsDoesNotMatter() {
    safety.set(Future.succeededFuture(false));
    JsonObject migrating = now(readiness.check());
    assertThat(migrating.getBoolean("ready")).isFalse();
    assertThat(migrating.getBoolean("settled")).isFalse();

    safety.set(Future.succeededFuture(true));
    JsonObject safe = now(readiness.check());
    assertThat(safe.getBoolean("ready")).isTrue();
    assertThat(safe.getBoolean("settled")).isTrue();
    assertThat(safe.getBoolean("clusterSafe")).isTrue();

    Promise<Boolean> frozenPeer = Promise.promise();
    safety.set(frozenPeer.future());
    JsonObject whileFrozen = now(readiness.check());
    assertThat(whileFrozen.getBoolean("ready")).as("answered at once, still ready").isTrue();

    frozenPeer.complete(false);
    JsonObject after = now(readiness.check());
    assertThat(after.getBoolean("ready")).isTrue();
    assertThat(after.getBoolean("clusterSafe")).as("the report shows the last safety result").isFalse();
  }

  @Test
  void drainingOrNotJoinedOrNotListeningIsNeverReady() {
    safety.set(Future.succeededFuture(true));
    assertThat(now(readiness.check()).getBoolean("ready")).isTrue();

    members.set(0);
    assertThat(now(readiness.check()).getBoolean("ready")).isFalse();
    members.set(3);

    readiness.proxiesListening(false);
    assertThat(now(readiness.check()).getBoolean("ready")).isFalse();
    readiness.proxiesListening(true);

    readiness.draining(true);
    JsonObject draining = now(readiness.check());
    assertThat(draining.getBoolean("ready")).isFalse();
    assertThat(draining.getBoolean("draining")).isTrue();
  }

  @Test
  void withoutAClusterItIsNotReady() {
    assertThat(now(new Readiness().check()).getBoolean("ready")).isFalse();
  }

  private static JsonObject now(Future<JsonObject> report) {
    assertThat(report.isComplete()).as("readiness answers without waiting").isTrue();
    return report.result();
  }
}
