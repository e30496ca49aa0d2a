package dev.harp.httpproxy;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

import java.util.ArrayList;
import java.util.List;

/**
 * One body (the client's request body, or an upstream response body HARP took over) as the {@link ReadStream} a
 * vertx-http-proxy {@code Body} hands to interceptors, kept whole as it is read: a transformer that reads it and an
 * interceptor that reads it and then lets the original go on both work, since {@link #whole()} is still the body.
 * Bounded: past {@code maxBytes} it stops and reports the overflow once (the exchange then fails), so a body
 * transform never holds more than its limit. Lives on the exchange's event loop.
 */
final class BodyStream implements ReadStream<Buffer> {

  private final long maxBytes;
  private final Runnable source;
  private final Runnable overflow;
  private final List<Buffer> chunks = new ArrayList<>(4);
  private final Promise<Buffer> whole = Promise.promise();
  private long bytes;
  /** Chunks handed to the handler so far. */
  private int delivered;
  private long demand = Long.MAX_VALUE;
  private boolean started;
  private boolean ended;
  private boolean endDelivered;
  private boolean overflowed;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;

  /**
   * @param source   starts the flow of chunks into {@link #push} (run once, when someone first reads)
   * @param overflow run once when the body outgrows {@code maxBytes}
   */
  BodyStream(long maxBytes, Runnable source, Runnable overflow) {
    this.maxBytes = maxBytes;
    this.source = source;
    this.overflow = overflow;
  }

  /** A body that is already complete (a request without one). */
  static BodyStream empty() {
    BodyStream s = new BodyStream(0, () -> { }, () -> { });
    s.end();
    return s;
  }

  /** Whether anyone asked for the bytes: then the body is no longer the one on the wire. */
  boolean started() {
    return started;
  }

  /** Takes the source for something else (its bytes are dropped); false when someone already reads them. */
  boolean claim() {
    if (started) {
      return false;
    }
    started = true;
    return true;
  }

  /** The whole body once it ended (reading it if nobody did yet); fails if it broke. Never completes on overflow. */
  Future<Buffer> whole() {
    start();
    return whole.future();
  }

  void push(Buffer chunk) {
    if (ended || overflowed) {
      return;
    }
    bytes += chunk.length();
    if (bytes > maxBytes) {
      overflowed = true;
      chunks.clear();
      overflow.run();
      return;
    }
    chunks.add(chunk);
    drain();
  }

  void end() {
    if (ended || overflowed) {
      return;
    }
    ended = true;
    Buffer all = Buffer.buffer((int) bytes);
    chunks.forEach(all::appendBuffer);
    whole.tryComplete(all);
    drain();
  }

  void fail(Throwable cause) {
    if (ended || overflowed) {
      return;
    }
    ended = true;
    endDelivered = true;
    whole.tryFail(cause);
    if (exceptionHandler != null) {
      exceptionHandler.handle(cause);
    }
  }

  private void start() {
    if (!started) {
      started = true;
      source.run();
    }
  }

  private void drain() {
    while (handler != null && demand > 0 && delivered < chunks.size() && !overflowed) {
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      handler.handle(chunks.get(delivered++));
    }
    // The end waits for its handler: a transformer sets handler, then endHandler, then resumes.
    if (ended && !endDelivered && delivered == chunks.size() && endHandler != null && !overflowed) {
      endDelivered = true;
      endHandler.handle(null);
    }
  }

  @Override
  public BodyStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public BodyStream handler(Handler<Buffer> handler) {
    this.handler = handler;
    if (handler != null) {
      start();
      drain();
    }
    return this;
  }

  @Override
  public BodyStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public BodyStream resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public BodyStream fetch(long amount) {
    demand = amount == Long.MAX_VALUE || demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    drain();
    return this;
  }

  @Override
  public BodyStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    drain();
    return this;
  }
}
