package dev.harp.cli;

import dev.harp.node.HarpNode;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs the graceful stop from the JVM's shutdown hook (SIGTERM, SIGINT) and waits for it, bounded. Registered
 * before the node starts, so a signal during start-up still stops the node cleanly once it is up.
 */
final class NodeShutdown {

  private NodeShutdown() {
  }

  static void onSignal(Future<HarpNode> starting, Duration limit) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        starting.compose(HarpNode::stop).toCompletionStage().toCompletableFuture()
            .get(limit.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        if (starting.succeeded()) {
          System.err.println("harp: node " + starting.result().name() + " did not stop cleanly: " + e);
        }
      }
    }, "harp-shutdown"));
  }
}
