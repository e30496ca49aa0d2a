package dev.harp.testkit;

import io.vertx.core.Future;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Blocking helpers for test threads (never call these on an event loop). */
public final class Await {

  private Await() {
  }

  public static <T> T result(Future<T> future) {
    return result(future, Duration.ofSeconds(60));
  }

  public static <T> T result(Future<T> future, Duration timeout) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof RuntimeException r ? r : new IllegalStateException(c);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The cause a future fails with; an assertion error if it succeeds (or does not complete in 30 s). */
  public static Throwable failure(Future<?> future) {
    try {
      result(future);
    } catch (RuntimeException e) {
      return future.failed() ? future.cause() : e;
    }
    throw new AssertionError("expected a failure, got " + future.result());
  }

  /**
   * Polls a condition that has no event to wait on (e.g. another member's view of the cluster), bounded by
   * {@code timeout}. Fails with {@code what} when it never holds.
   */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
  }
}
