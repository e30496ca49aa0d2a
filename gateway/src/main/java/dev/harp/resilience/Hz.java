package dev.harp.resilience;

import io.vertx.core.Context;
import io.vertx.core.Future;

import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Hazelcast's async calls as Vert.x futures that complete on our context, never on a Hazelcast thread. */
final class Hz {

  private Hz() {
  }

  /**
   * Runs {@code call} and continues on {@code context}. A call that throws before returning its stage (the member
   * is shutting down, say) becomes a failed future like any other failure.
   */
  static <T> Future<T> async(Context context, Supplier<CompletionStage<T>> call) {
    CompletionStage<T> stage;
    try {
      stage = call.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return Future.fromCompletionStage(stage, context);
  }
}
