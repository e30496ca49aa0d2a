package dev.harp.cli;

import dev.harp.node.HarpNode;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the graceful stop from the JVM's shutdown hook (SIGTERM, SIGINT) and waits for it, bounded. */
final class NodeShutdown {

  private NodeShutdown() {
  }

  static void onSignal(HarpNode node, Duration limit) {
    onSignal(List.of(node), limit, null);
  }

  static void onSignal(List<HarpNode> nodes, Duration limit, Runnable afterwards) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (HarpNode node : nodes) {
        try {
          node.stop().toCompletionStage().toCompletableFuture().get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          System.err.println("harp: node " + node.name() + " did not stop cleanly: " + e);
        }
      }
      if (afterwards != null) {
        afterwards.run();
      }
    }, "harp-shutdown"));
  }
}
