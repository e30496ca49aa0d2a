package dev.harp.engine;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;

/**
 * The client's request body on its way to the current upstream attempt, streamed with back-pressure. When the
 * upstream policy allows replays, the chunks are also kept, up to a limit, so a retry can send the same body to
 * another endpoint. The chunks are the heap buffers Vert.x hands over (it copies pooled memory before user code sees
 * it), so keeping them copies nothing.
 *
 * <p>A body is replayable while no byte of it was read yet (a connect failure happens before), or when every byte
 * read is kept: a body of known length within the limit at once, a chunked one only once it ended within the limit
 * (until then it might still outgrow the copy). Lives on the exchange's event loop.
 */
final class RequestBody {

  private final ProxyExchange ex;
  private final HttpServerRequest request;
  private final long maxBody;
  private final long keepLimit;
  private final boolean lengthKnown;
  /** Chunks read so far, while they are being kept; null when not keeping (never, or past the limit). */
  private List<Buffer> kept;
  private long keptBytes;
  private boolean consumed;
  private boolean ended;
  private boolean handlersSet;
  private HttpClientRequest sink;
  private Runnable onSent;

  /**
   * @param keepLimit   bytes to keep for replays, 0 for none
   * @param lengthKnown the client sent Content-Length (the copy cannot outgrow a limit checked against it)
   */
  RequestBody(ProxyExchange ex, long maxBody, long keepLimit, boolean lengthKnown) {
    this.ex = ex;
    this.request = ex.request();
    this.maxBody = maxBody;
    this.keepLimit = keepLimit;
    // A filter that changes the body may make it longer than the client said: then only its end bounds the copy.
    this.lengthKnown = lengthKnown && !ex.changesRequestBody();
    this.kept = keepLimit > 0 ? new ArrayList<>(4) : null;
  }

  /** A body a feature made whole (see {@link ProxyExchange#replaceUpstreamBody}): sent as is, replayable. */
  static RequestBody whole(ProxyExchange ex, Buffer body) {
    RequestBody b = new RequestBody(ex, 0, body.length() + 1L, true);
    b.kept.add(body);
    b.keptBytes = body.length();
    b.consumed = true;
    b.ended = true;
    return b;
  }

  /** Whether a new attempt could send this body whole. */
  boolean replayable() {
    return !consumed || (kept != null && (lengthKnown || ended));
  }

  /** Sends the body to {@code upstream}: the kept chunks first, then the rest as the client sends it. */
  void sendTo(HttpClientRequest upstream, Runnable whenSent) {
    sink = upstream;
    onSent = whenSent;
    upstream.drainHandler(v -> {
      if (sink == upstream) {
        request.resume();
      }
    });
    if (kept != null) {
      for (Buffer chunk : kept) {
        upstream.write(chunk);
      }
    }
    if (ended) {
      finish();
      return;
    }
    if (!handlersSet) {
      handlersSet = true;
      setHandlers();
    }
    if (upstream.writeQueueFull()) {
      request.pause();
    } else {
      request.resume();
    }
  }

  /**
   * The attempt is over. While the copy can still grow, keep reading so the retry finds the body ready; otherwise
   * hold the client until the next attempt (or the exchange's end).
   */
  void detach() {
    sink = null;
    onSent = null;
    if (kept == null && !ended) {
      request.pause();
    }
  }

  private void setHandlers() {
    request.handler(received -> {
      long total = ex.countIn(received.length());
      if (maxBody > 0 && total > maxBody) {
        // Normally refused by the guard's decoder first; kept for connections it does not decode (HTTP/2).
        // Fail before resetting: the reset fails the upstream response, which would answer 502 instead.
        ex.fail(ProxyFailure.REQUEST_BODY_TOO_LARGE, "body exceeds " + maxBody + " bytes", null);
        resetSink();
        return;
      }
      consumed = true;
      Buffer chunk = received;
      BodyPhases phases = ex.bodies();
      if (phases != null) {
        chunk = phases.requestChunk(received); // kept transformed: each client chunk passes the filters once
        if (chunk == null) {
          resetSink(); // a filter failed, and so did the exchange
          return;
        }
      }
      keep(chunk);
      HttpClientRequest upstream = sink;
      if (upstream != null) {
        if (chunk.length() > 0) {
          upstream.write(chunk);
          if (upstream.writeQueueFull()) {
            request.pause();
          }
        }
      } else if (kept == null) {
        request.pause();
      }
    });
    request.exceptionHandler(t -> {
      // A body the guard refused or a client abort mid-body: the upstream must never see a complete request.
      // Answer first: the reset fails the upstream response, which would otherwise answer 502.
      ex.requestFailed(t);
      resetSink();
    });
    request.endHandler(v -> {
      ended = true;
      BodyPhases phases = ex.bodies();
      if (phases != null && !ex.isCompleted()) {
        Buffer tail = phases.requestEnd();
        if (ex.isCompleted()) {
          resetSink();
          return;
        }
        if (tail != null) {
          keep(tail);
          if (sink != null) {
            sink.write(tail);
          }
        }
      }
      if (sink != null && !ex.isCompleted()) {
        finish();
      }
    });
  }

  private void keep(Buffer chunk) {
    if (kept != null && chunk.length() > 0) {
      if (keptBytes + chunk.length() > keepLimit) {
        kept = null; // too large to replay: this exchange gets no more retries once the attempt sent a byte
      } else {
        kept.add(chunk);
        keptBytes += chunk.length();
      }
    }
  }

  private void finish() {
    Runnable whenSent = onSent;
    sink.end();
    if (whenSent != null) {
      whenSent.run();
    }
  }

  /** The sink has an exception handler (set per attempt), so Vert.x does not log the reset at ERROR. */
  private void resetSink() {
    if (sink != null) {
      sink.reset();
    }
  }
}
