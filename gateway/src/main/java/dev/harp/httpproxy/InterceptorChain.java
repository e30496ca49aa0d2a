package dev.harp.httpproxy;

import dev.harp.engine.FailureKind;
import dev.harp.engine.ProxyExchange;
import dev.harp.engine.ProxyFailure;
import dev.harp.engine.ResponseObserver;
import dev.harp.spi.Next;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.streams.ReadStream;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;

import java.util.List;
import java.util.ListIterator;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One exchange walking a filter's interceptors the way vertx-http-proxy walks them: {@link #sendRequest} goes to
 * the next interceptor's request phase and, past the last, to the upstream (HARP's pipeline continues); the
 * upstream's response head completes that future, and {@link #sendResponse} walks the response phases back. Past the
 * first, the response goes to the client:
 * <ul>
 *   <li>streamed as HARP relays it, with the interceptors' status and header edits, when the walk ended while the
 *   head was being relayed and nobody touched the body;</li>
 *   <li>otherwise whole: HARP takes the upstream response over, the body (the upstream's, bounded, or the one an
 *   interceptor set) is read and answered with its own Content-Length.</li>
 * </ul>
 * A failure anywhere before the client saw anything is a problem response, never a hang.
 */
final class InterceptorChain implements ProxyContext, ResponseObserver {

  /** Attributes are the exchange's, so interceptors of several filters share them as in one vertx-http-proxy. */
  private static final String ATTRIBUTE_PREFIX = "vertx-http-proxy:";
  static final FailureKind RESPONSE_TOO_LARGE = new Kind(502, "response-body-too-large", "Bad Gateway");

  private final ProxyExchange ex;
  private final Next next;
  private final ListIterator<ProxyInterceptor> walk;
  private final long maxBody;
  private final Context context;
  private final ExchangeRequest request;
  private ExchangeResponse response;
  /** Set once the walk reached the upstream; completed by the response head. */
  private Promise<ProxyResponse> upstream;
  private boolean inHead;
  private boolean streaming;
  private boolean takenOver;
  private boolean finished;
  /** What must wait until the relay has handed the response over (we cannot answer from inside its head call). */
  private Runnable deferred;

  InterceptorChain(ProxyExchange ex, Next next, List<ProxyInterceptor> interceptors, long maxBody) {
    this.ex = ex;
    this.next = next;
    this.walk = interceptors.listIterator();
    this.maxBody = maxBody;
    this.context = Vertx.currentContext();
    this.request = new ExchangeRequest(ex, maxBody, this::finish);
  }

  void start() {
    guarded(this::sendRequest).onComplete(ar -> {
      if (ar.failed()) {
        failed(ar.cause());
      } else if (!(ar.result() instanceof ExchangeResponse r)) {
        failed(new IllegalStateException("an interceptor's request phase gave "
            + (ar.result() == null ? "no response" : "a response HARP did not make: " + ar.result().getClass())));
      } else {
        response = r;
        guarded(this::sendResponse).onFailure(this::failed);
      }
    });
  }

  @Override
  public ProxyRequest request() {
    return request;
  }

  @Override
  public ProxyResponse response() {
    return response;
  }

  @Override
  public Future<ProxyResponse> sendRequest() {
    if (walk.hasNext()) {
      ProxyInterceptor interceptor = walk.next();
      return guarded(() -> interceptor.handleProxyRequest(this));
    }
    return toUpstream();
  }

  @Override
  public Future<Void> sendResponse() {
    if (walk.hasPrevious()) {
      ProxyInterceptor interceptor = walk.previous();
      return guarded(() -> interceptor.handleProxyResponse(this));
    }
    return finish();
  }

  @Override
  public boolean isWebSocket() {
    return false; // the filter does not take upgrades
  }

  @Override
  public void set(String name, Object value) {
    ex.attributes().put(ATTRIBUTE_PREFIX + name, value);
  }

  @Override
  public <T> T get(String name, Class<T> type) {
    Object o = ex.attributes().get(ATTRIBUTE_PREFIX + name);
    return type.isInstance(o) ? type.cast(o) : null;
  }

  /** HARP's upstream client is its own (endpoint choice, pools, retries): interceptors do not get it. */
  @Override
  public HttpClient client() {
    throw new UnsupportedOperationException("ProxyContext.client() is not available in HARP");
  }

  /** The request as the interceptors left it goes on through HARP's pipeline; its response head comes back here. */
  private Future<ProxyResponse> toUpstream() {
    if (upstream != null) {
      return Future.failedFuture(new IllegalStateException("sendRequest() reached the upstream twice"));
    }
    upstream = Promise.promise();
    HttpMethod method = request.changedMethod();
    if (method != null) {
      ex.upstreamMethod(method);
    }
    String uri = request.changedUri();
    if (uri != null) {
      ex.upstreamUri(uri);
    }
    Consumer<MultiMap> headers = request.headerChanges();
    if (headers != null) {
      ex.editUpstreamRequest(headers);
    }
    ex.observeResponse(this);
    if (request.bodyUntouched()) {
      next.proceed();
    } else {
      Body body = request.getBody();
      if (body != request.originalBody()) {
        request.discardClientBody();
      }
      whole(body, request.originalBody(), request.clientBody()).onComplete(ar -> {
        if (ar.failed()) {
          failed(ar.cause());
        } else {
          ex.replaceUpstreamBody(ar.result() == null ? Buffer.buffer() : ar.result());
          next.proceed();
        }
      });
    }
    return upstream.future();
  }

  /** The end of the response walk: stream what can stream, else answer whole. */
  private Future<Void> finish() {
    if (finished) {
      return Future.succeededFuture();
    }
    finished = true;
    ExchangeResponse r = response;
    if (r == null) {
      return Future.failedFuture(new IllegalStateException("sendResponse() without a response"));
    }
    if (inHead && r.bodyUntouched()) {
      streaming = true; // onHead applies the edits to the relayed head when the walk unwinds
      return Future.succeededFuture();
    }
    Promise<Void> sent = Promise.promise();
    whole(r.getBody(), r.bodyIsOriginal() ? r.getBody() : null, r.upstreamBody()).onComplete(ar -> {
      if (ar.failed()) {
        failed(ar.cause());
        sent.fail(ar.cause());
      } else {
        act(() -> answer(r, ar.result()));
        sent.complete();
      }
    });
    return sent.future();
  }

  /** A whole answer: the interceptors' status and fields, the body's media type and length. */
  private void answer(ExchangeResponse r, Buffer body) {
    if (ex.isCompleted()) {
      return;
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(r.headers());
    headers.remove(HttpHeaders.CONTENT_LENGTH).remove(HttpHeaders.TRANSFER_ENCODING);
    Body b = r.getBody();
    if (b != null && b.mediaType() != null) {
      headers.set(HttpHeaders.CONTENT_TYPE, b.mediaType());
    }
    if (r.fromUpstream()) {
      // The copy the interceptors edited already holds every field the client was to get (features' ones too).
      ex.request().response().headers().clear();
    }
    ex.respond(r.getStatusCode(), headers, body);
  }

  /**
   * The bytes of a body: the stream behind {@code original} (kept as it was read) when it is that one, else the
   * body's own stream read to its end, within {@link #maxBody}. Null for no body.
   */
  private Future<Buffer> whole(Body body, Body original, BodyStream originalStream) {
    if (body == null) {
      return Future.succeededFuture();
    }
    if (body == original && originalStream != null) {
      return originalStream.whole();
    }
    Promise<Buffer> out = Promise.promise();
    Buffer acc = Buffer.buffer();
    // Once: the library's buffer bodies make a new stream on every call.
    ReadStream<Buffer> stream = body.stream();
    stream.exceptionHandler(out::tryFail).endHandler(v -> out.tryComplete(acc)).handler(chunk -> {
      if (acc.length() + (long) chunk.length() > maxBody) {
        out.tryFail(new IllegalStateException("a body an interceptor made exceeds " + maxBody + " bytes"));
      } else {
        acc.appendBuffer(chunk);
      }
    });
    stream.resume();
    return out.future();
  }

  // The relay's view of this exchange (registered when the walk reaches the upstream).

  @Override
  public boolean onHead(int status, MultiMap upstreamHeaders, MultiMap clientHeaders) {
    BodyStream body = new BodyStream(maxBody, () -> { }, () -> act(() -> ex.reject(RESPONSE_TOO_LARGE,
        "the upstream's body exceeds " + maxBody + " bytes, the most an http-proxy interceptor's body transform"
            + " buffers", 0)));
    ExchangeResponse r = ExchangeResponse.upstream(request, status,
        MultiMap.caseInsensitiveMultiMap().addAll(clientHeaders), body, this::finish);
    response = r;
    inHead = true;
    try {
      upstream.complete(r);
    } finally {
      inHead = false;
    }
    if (streaming) {
      clientHeaders.clear().addAll(r.headers());
      if (r.statusChanged()) {
        ex.clientStatus(r.getStatusCode(), r.getStatusMessage());
      }
      return false;
    }
    takenOver = true;
    Runnable d = deferred;
    deferred = null;
    if (d != null) {
      context.runOnContext(v -> d.run());
    }
    return true;
  }

  @Override
  public void onChunk(Buffer chunk) {
    if (takenOver) {
      response.upstreamBody().push(chunk);
    }
  }

  @Override
  public void onEnd() {
    if (takenOver) {
      response.upstreamBody().end();
    }
  }

  @Override
  public boolean onFailure(ProxyFailure failure, Throwable cause) {
    if (takenOver) {
      response.upstreamBody().fail(cause);
    }
    return false; // HARP answers an upstream failure as it always does
  }

  @Override
  public void onComplete(int status, FailureKind failure) {
    if (upstream != null && !upstream.future().isComplete()) {
      // The upstream never answered (HARP already told the client why): let pending interceptor futures end.
      upstream.tryFail(new IllegalStateException("the exchange ended without an upstream response"));
    }
  }

  /** Runs now, or right after the relay's head call when inside it. */
  private void act(Runnable action) {
    if (inHead) {
      Runnable before = deferred;
      deferred = before == null ? action : () -> {
        before.run();
        action.run();
      };
    } else {
      action.run();
    }
  }

  /** An interceptor failed (threw, or a future failed): a problem response while the client has seen nothing. */
  private void failed(Throwable t) {
    if (ex.isCompleted() || streaming) {
      return; // too late to say so: the response is already going out as the upstream sent it
    }
    act(() -> {
      // vertx-http-proxy's own failures carry the status it meant (its body transformers use 500).
      if (t instanceof io.vertx.httpproxy.impl.ProxyFailure pf && pf.code() >= 400 && pf.code() <= 599
          && pf.code() != 500) {
        ex.reject(new Kind(pf.code(), "interceptor-refused", HttpResponseStatus.valueOf(pf.code()).reasonPhrase()),
            "an http-proxy interceptor answered " + pf.code(), 0);
      } else {
        ex.fail(ProxyFailure.INTERNAL_ERROR, "an http-proxy interceptor failed: " + describe(t), t);
      }
    });
  }

  private static String describe(Throwable t) {
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** Runs one step, turning a throw (or a null future) into a failed future, as the library's walk would fail. */
  private static <T> Future<T> guarded(Supplier<Future<T>> step) {
    try {
      Future<T> f = step.get();
      return f != null ? f : Future.failedFuture(new IllegalStateException("an interceptor returned no future"));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private record Kind(int status, String slug, String title) implements FailureKind {
  }
}
