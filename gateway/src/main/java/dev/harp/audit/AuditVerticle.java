package dev.harp.audit;

import dev.harp.audit.store.AuditStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit trail's event loop: the checkpoint timer, the witness and the queries. The checkpointer's and the
 * witness's state is confined to it. On stop, one last round signs what the log holds, so a clean shutdown leaves a
 * checkpoint of every committed record.
 */
final class AuditVerticle extends VerticleBase {

  private final String node;
  private final AuditStore store;
  private final Checkpointer checkpointer;
  private final Witness witness;
  private final AuditQueries queries;
  private final Duration interval;
  private final Duration witnessTimeout;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private Future<Void> round = Future.succeededFuture();
  private long timer = -1;

  AuditVerticle(String node, AuditStore store, Checkpointer checkpointer, Witness witness, AuditQueries queries,
                Duration interval, Duration witnessTimeout) {
    this.node = node;
    this.store = store;
    this.checkpointer = checkpointer;
    this.witness = witness;
    this.queries = queries;
    this.interval = interval;
    this.witnessTimeout = witnessTimeout;
  }

  @Override
  public Future<?> start() {
    consumers.add(vertx.eventBus().consumer(AuditAddresses.witness(node), witness::handle));
    consumers.add(vertx.eventBus().consumer(AuditAddresses.queries(node), queries::handle));
    timer = vertx.setPeriodic(interval.toMillis(), id -> tick());
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  /** One round at a time: a slow witness delays the next checkpoint, it never stacks rounds. */
  private void tick() {
    if (round.isComplete()) {
      round = checkpointer.round();
    }
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    Promise<Void> last = Promise.promise();
    long guard = vertx.setTimer(2 * witnessTimeout.toMillis() + 1_000, id -> last.tryComplete());
    // What the proxies handed over before they stopped is committed first, so the last checkpoint covers it.
    round.eventually(() -> vertx.executeBlocking(() -> store.flush(witnessTimeout)))
        .eventually(checkpointer::round).onComplete(ar -> {
      vertx.cancelTimer(guard);
      last.tryComplete();
    });
    return last.future().eventually(() -> Future.join(consumers.stream().map(MessageConsumer::unregister).toList()));
  }
}
