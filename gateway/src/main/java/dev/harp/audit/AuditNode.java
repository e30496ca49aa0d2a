package dev.harp.audit;

import com.hazelcast.core.HazelcastInstance;
import dev.harp.audit.store.AuditStore;
import dev.harp.audit.store.AuditStoreSettings;
import dev.harp.audit.store.SqliteAuditStore;
import dev.harp.audit.tlog.ProofException;
import dev.harp.config.AuditConfig;
import dev.harp.config.ClusterConfig;
import dev.harp.config.HarpConfig;
import dev.harp.spi.FilterContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

import java.util.concurrent.TimeUnit;

/**
 * One node's audit trail, assembled: its keys, its store (records and Merkle log), its place in the key directory,
 * the checkpointer and witness on a verticle of their own, and the admin API. Made by the first proxy's audit filter,
 * on a worker.
 */
final class AuditNode {

  private final Vertx vertx;
  private final String node;
  private final AuditStore store;
  private final AuditVerticle verticle;
  private final String deployment;

  private AuditNode(Vertx vertx, String node, AuditStore store, AuditVerticle verticle, String deployment) {
    this.vertx = vertx;
    this.node = node;
    this.store = store;
    this.verticle = verticle;
    this.deployment = deployment;
  }

  /** Blocks (a worker): reads or makes the keys, opens and checks the store, publishes the keys. */
  static AuditNode start(FilterContext context, HarpConfig config, AuditConfig audit) {
    Vertx vertx = context.vertx();
    String node = context.nodeName();
    MeterRegistry registry = context.service(MeterRegistry.class);
    String cluster = config.cluster().map(ClusterConfig::name).orElse("standalone");
    AuditKeys keys = AuditKeys.loadOrCreate(audit.dataDir(), cluster, node);
    KeyDirectory directory;
    try {
      directory = new KeyDirectory(node, context.service(HazelcastInstance.class), audit.trustedKeys());
    } catch (ProofException e) {
      throw new IllegalStateException("audit.trustedKeys: " + e.getMessage(), e);
    }
    directory.publish(keys);
    directory.refresh();
    AuditStore store = SqliteAuditStore.open(audit.dataDir(), AuditStoreSettings.DEFAULTS
        .withQueueCapacity(audit.queue())
        .withBatch(AuditStoreSettings.DEFAULT_BATCH_MAX_RECORDS, audit.commitWindow())
        .withRetention(audit.retainFor(), audit.maxSize()), new RecordRedaction(config), registry);
    Checkpointer checkpointer = new Checkpointer(vertx, store, keys, directory, audit.quorum(),
        audit.witnessTimeout().toMillis());
    store.latestCheckpoint().ifPresent(checkpointer::resume);
    Witness witness = new Witness(vertx, node, store, keys, directory, registry);
    AuditQueries queries = new AuditQueries(vertx, node, keys, store, witness, audit.quorum());
    AuditVerticle verticle = new AuditVerticle(node, store, checkpointer, witness, queries, audit.checkpointInterval(),
        audit.witnessTimeout());
    String deployment;
    try {
      deployment = vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      store.close();
      throw new IllegalStateException("audit: the checkpointer did not start: " + e, e);
    }
    Router admin = context.service(Router.class);
    if (admin != null) {
      new AuditRoutes(vertx, node, store, directory, queries, audit.quorum()).mount(admin);
    }
    return new AuditNode(vertx, node, store, verticle, deployment);
  }

  AuditRecorder recorder(String proxy) {
    return new AuditRecorder(node, proxy, store);
  }

  /** A last checkpoint round (bounded), then the store drains its queue and closes. */
  Future<Void> stop() {
    return vertx.undeploy(deployment).eventually(() -> vertx.executeBlocking(() -> {
      store.close();
      return null;
    })).mapEmpty();
  }
}
