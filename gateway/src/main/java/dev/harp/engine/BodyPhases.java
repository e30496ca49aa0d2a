package dev.harp.engine;

import dev.harp.spi.Filter;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;

/**
 * The body phases of the SPI filters one exchange passed ({@link Filter#onRequestChunk} and the others), in the order
 * each body meets them: request chunks in pipeline order, response chunks innermost first. Made only when a filter
 * with a body phase passes the exchange's request phase, so an exchange on a proxy without one pays a null check a
 * chunk. A filter that throws fails the exchange ({@link ProxyExchange#fail}: a problem answer, or a closed
 * connection once the response started); the callers then stop. Lives on the exchange's event loop.
 */
final class BodyPhases {

  private static final Buffer EMPTY = Buffer.buffer(0);

  /** One filter's body phases on this exchange. */
  record Entry(Filter filter, ExchangeView view, boolean changes, boolean request, boolean response) {
  }

  private final ProxyExchange ex;
  private final List<Entry> request = new ArrayList<>(2);
  private final List<Entry> response = new ArrayList<>(2);
  private boolean changesRequest;
  private boolean changesResponse;
  /** Request filters that saw the body chunk by chunk, when a stage read it itself (see {@link #wholeRequest}). */
  private int requestStreamed = -1;

  BodyPhases(ProxyExchange ex) {
    this.ex = ex;
  }

  void add(Entry entry) {
    if (entry.request()) {
      request.add(entry);
      changesRequest |= entry.changes();
    }
    if (entry.response()) {
      response.add(entry);
      changesResponse |= entry.changes();
    }
  }

  /** Whether a filter may change the request body: it then goes upstream chunked, its length unknown. */
  boolean changesRequest() {
    return changesRequest;
  }

  /** Whether a filter may change the response body: the upstream's Content-Length is then dropped. */
  boolean changesResponse() {
    return changesResponse;
  }

  boolean seesRequest() {
    return !request.isEmpty();
  }

  boolean seesResponse() {
    return !response.isEmpty();
  }

  /** A client chunk through every request filter; empty when one dropped it, null when one failed. */
  Buffer requestChunk(Buffer chunk) {
    if (requestStreamed < 0) {
      requestStreamed = request.size();
    }
    return chunkThrough(request, 0, request.size(), 1, chunk, true);
  }

  /** The request body ended: what the filters append (null for nothing, or when one failed). */
  Buffer requestEnd() {
    return endThrough(request, 0, request.size(), 1, true);
  }

  /**
   * A request body a stage read whole and replaced (see {@link ProxyExchange#replaceUpstreamBody}): the filters that
   * did not see it stream (those whose request phase came after that stage) see it as one chunk, then the end.
   */
  Buffer wholeRequest(Buffer body) {
    int from = requestStreamed < 0 ? 0 : requestStreamed;
    if (from >= request.size()) {
      return body;
    }
    return whole(request, from, request.size(), 1, body, true);
  }

  /** An upstream chunk through every response filter, innermost first. */
  Buffer responseChunk(Buffer chunk) {
    return chunkThrough(response, response.size() - 1, -1, -1, chunk, false);
  }

  /** The response body ended: what the filters append, innermost first. */
  Buffer responseEnd() {
    return endThrough(response, response.size() - 1, -1, -1, false);
  }

  /** A local answer's whole body (respond) through the response filters: one chunk, then the end. */
  Buffer wholeResponse(Buffer body) {
    return whole(response, response.size() - 1, -1, -1, body, false);
  }

  private Buffer whole(List<Entry> entries, int from, int to, int step, Buffer body, boolean req) {
    Buffer out = chunkThrough(entries, from, to, step, body, req);
    if (out == null) {
      return null;
    }
    Buffer tail = endThrough(entries, from, to, step, req);
    if (ex.isCompleted()) {
      return null;
    }
    return join(out, tail);
  }

  private Buffer chunkThrough(List<Entry> entries, int from, int to, int step, Buffer chunk, boolean req) {
    Buffer cur = chunk;
    for (int i = from; i != to && cur.length() > 0; i += step) {
      Entry e = entries.get(i);
      try {
        Buffer out = req ? e.filter.onRequestChunk(e.view, cur) : e.filter.onResponseChunk(e.view, cur);
        if (e.changes) {
          cur = out == null ? EMPTY : out;
        }
      } catch (RuntimeException t) {
        failed(t, req);
        return null;
      }
    }
    return cur;
  }

  /** Each filter's end, after what the filters before it appended passed its chunk phase. */
  private Buffer endThrough(List<Entry> entries, int from, int to, int step, boolean req) {
    Buffer pending = null;
    for (int i = from; i != to; i += step) {
      Entry e = entries.get(i);
      try {
        if (pending != null && pending.length() > 0) {
          Buffer out = req ? e.filter.onRequestChunk(e.view, pending) : e.filter.onResponseChunk(e.view, pending);
          if (e.changes) {
            pending = out;
          }
        }
        Buffer tail = req ? e.filter.onRequestEnd(e.view) : e.filter.onResponseEnd(e.view);
        if (e.changes) {
          pending = join(pending, tail);
        }
      } catch (RuntimeException t) {
        failed(t, req);
        return null;
      }
    }
    return pending == null || pending.length() == 0 ? null : pending;
  }

  private static Buffer join(Buffer a, Buffer b) {
    if (b == null || b.length() == 0) {
      return a;
    }
    if (a == null || a.length() == 0) {
      return b;
    }
    return Buffer.buffer(a.length() + b.length()).appendBuffer(a).appendBuffer(b);
  }

  private void failed(RuntimeException t, boolean req) {
    ex.fail(ProxyFailure.INTERNAL_ERROR, "a filter failed on the " + (req ? "request" : "response") + " body", t);
  }
}
