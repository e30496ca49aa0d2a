package dev.harp.engine;

import dev.harp.engine.guard.Rejections;
import dev.harp.engine.guard.RequestRejected;
import dev.harp.engine.guard.Violation;
import dev.harp.net.ClientAddresses;
import dev.harp.spi.FetchedResponse;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One request/response exchange as it walks the interceptor chain to the upstream and back. Lives on one event loop;
 * nothing here is thread-safe, nor needs to be.
 */
public final class ProxyExchange {

  private final ProxyRuntime runtime;
  private final HttpClient client;
  private final UpstreamConnections connections;
  private final HttpServerRequest request;
  private final String requestId;
  private final long startNanos = System.nanoTime();
  private final long startMillis = System.currentTimeMillis();
  private final boolean upgrade;
  private int nextInterceptor;
  private Map<String, Object> attributes;
  /** Null unless a filter with a body phase passed this exchange: the plain path then pays one null check a chunk. */
  private BodyPhases bodies;
  /** Null unless a feature registered one: the plain forwarding path then costs one null check, no allocation. */
  private List<ResponseObserver> observers;
  private Consumer<MultiMap> upstreamHeaderEditor;
  private String upstreamUri;
  /** Null unless a feature changed them: the method sent upstream, a whole body sent instead of the client's. */
  private HttpMethod upstreamMethod;
  private Buffer upstreamBody;
  /** 0 unless a response observer replaced the upstream's status for the client. */
  private int clientStatus;
  private String clientStatusMessage;
  private String clientAddress;
  /** Whether {@link #clientAddress} holds the address the proxy's settings resolve (then it is final). */
  private boolean clientAddressResolved;
  private String canonicalPath;
  /** The named upstream pool a filter routed this exchange to; null (the primary pool) on the plain path. */
  private String upstreamPool;

  /** The latest upstream call of this exchange (its endpoint is reported when the exchange completes). */
  private UpstreamCall call;
  /** Run once when the exchange completes, however it does (the forwarder cancels its deadline timer). */
  private Runnable onComplete;
  private long upstreamStartNanos;
  private long upstreamHeadNanos = -1;
  private long bytesIn;
  private long bytesOut;
  private boolean completed;
  private Phase phase = Phase.REQUEST;

  ProxyExchange(ProxyRuntime runtime, HttpClient client, UpstreamConnections connections, HttpServerRequest request,
                boolean upgrade) {
    this.runtime = runtime;
    this.client = client;
    this.connections = connections;
    this.request = request;
    this.upgrade = upgrade;
    this.requestId = RequestIds.fromOrNew(request.getHeader(RequestIds.HEADER));
  }

  public HttpServerRequest request() {
    return request;
  }

  public String requestId() {
    return requestId;
  }

  public String proxyName() {
    return runtime.name();
  }

  public boolean isUpgrade() {
    return upgrade;
  }

  /** Per-exchange values features hand to each other (e.g. the consumer an API key named). */
  public Map<String, Object> attributes() {
    if (attributes == null) {
      attributes = new HashMap<>(4);
    }
    return attributes;
  }

  /** The body phases of the filters this exchange passed, made on first use (by a filter that has one). */
  BodyPhases bodyPhases() {
    if (bodies == null) {
      bodies = new BodyPhases(this);
    }
    return bodies;
  }

  /** The body phases, or null when no filter with one passed this exchange. */
  BodyPhases bodies() {
    return bodies;
  }

  /** Whether a filter may change the request body (it is then sent upstream chunked, without Content-Length). */
  boolean changesRequestBody() {
    return bodies != null && bodies.changesRequest();
  }

  /**
   * A value an SPI filter attached to this exchange ({@code Exchange.put}), or null: for HARP's own code that reads
   * the exchange rather than a filter's view of it (e.g. the dashboard's capture).
   */
  public <T> T attachment(dev.harp.spi.Attachment<T> key) {
    Object view = attributes == null ? null : attributes.get(ExchangeView.KEY);
    return view == null ? null : ((ExchangeView) view).get(key);
  }

  /**
   * Lets {@code observer} see (and possibly take over) the upstream response when this exchange is forwarded; see
   * {@link ResponseObserver}. Call from {@link ProxyInterceptor#onRequest} before proceeding.
   */
  public void observeResponse(ResponseObserver observer) {
    if (observers == null) {
      observers = new ArrayList<>(2);
    }
    observers.add(observer);
  }

  /**
   * Edits the header fields sent upstream, after HARP built them (hop-by-hop fields removed, forwarding fields
   * added). Editors registered by several stages run in registration order. E.g. the cache replaces the
   * client's conditional fields with its own validators; auth injects the upstream's credentials here, where no later
   * interceptor (cache keys, logs) sees them.
   */
  public void editUpstreamRequest(Consumer<MultiMap> editor) {
    upstreamHeaderEditor = upstreamHeaderEditor == null ? editor : upstreamHeaderEditor.andThen(editor);
  }

  /**
   * A GET of this exchange's target from the upstream that is not relayed to the client (the SPI's
   * {@code Exchange.fetch}, e.g. the cache's background revalidation after the client got a stale copy): same
   * endpoint choice, pool, timeouts and forwarded headers; the body is buffered, and the fetch fails if it exceeds
   * {@code maxBody} bytes. Call on the exchange's event loop; it may outlive the exchange.
   */
  public Future<FetchedResponse> fetch(Consumer<MultiMap> headerEditor, long maxBody) {
    return UpstreamFetch.get(this, runtime, client, headerEditor, maxBody);
  }

  /** Tells this verticle's pooled upstream connections from new ones (stale-connection resends). */
  UpstreamConnections connections() {
    return connections;
  }

  List<ResponseObserver> observers() {
    return observers;
  }

  Consumer<MultiMap> upstreamHeaderEditor() {
    return upstreamHeaderEditor;
  }

  /** The request target (path and query) sent upstream, before the endpoint's base path; the client's by default. */
  public String upstreamUri() {
    return upstreamUri == null ? request.uri() : upstreamUri;
  }

  /** Replaces the request target sent upstream, e.g. to add the upstream's API key or drop the client's. */
  public void upstreamUri(String uri) {
    this.upstreamUri = uri;
  }

  /**
   * A feature read {@code chunk} of the client's body itself (instead of the forwarder): counted as the forwarder
   * counts, and passed through the request-body phases of the filters before it.
   *
   * @return the chunk as those filters made it (empty when one dropped it), null when one failed the exchange
   */
  public Buffer bodyChunkRead(Buffer chunk) {
    bytesIn += chunk.length();
    return bodies == null ? chunk : bodies.requestChunk(chunk);
  }

  /**
   * The client's body, which a feature read itself, ended: what the request-body phases of the filters before it
   * append, or null for nothing (or when one failed the exchange).
   */
  public Buffer bodyEndRead() {
    return bodies == null ? null : bodies.requestEnd();
  }

  /** The method sent upstream: the client's unless a feature replaced it. */
  public HttpMethod upstreamMethod() {
    return upstreamMethod == null ? request.method() : upstreamMethod;
  }

  public void upstreamMethod(HttpMethod method) {
    this.upstreamMethod = method;
  }

  /**
   * Sends {@code body} upstream instead of the client's body, with its Content-Length (a body transform that read
   * the client's whole body first). The client's body must then be consumed by whoever replaced it: the forwarder
   * no longer reads it. Call before proceeding to the upstream.
   */
  public void replaceUpstreamBody(Buffer body) {
    this.upstreamBody = body;
  }

  Buffer upstreamBody() {
    return upstreamBody;
  }

  /**
   * The status (and reason phrase, or null for the standard one) the client gets instead of the upstream's, for a
   * response relayed as it streams; set from {@link ResponseObserver#onHead}.
   */
  public void clientStatus(int status, String message) {
    this.clientStatus = status;
    this.clientStatusMessage = message;
  }

  int clientStatus() {
    return clientStatus;
  }

  String clientStatusMessage() {
    return clientStatusMessage;
  }

  /**
   * The client's address: the TCP peer unless a feature resolved it from a trusted proxy's {@code X-Forwarded-For}
   * (see {@code dev.harp.net.ClientAddresses}). Observers (events, access log) report this one.
   */
  public String clientAddress() {
    return clientAddress != null ? clientAddress : ForwardedHeaders.clientIp(request.remoteAddress());
  }

  /**
   * The client's address as the proxy's {@code clientAddress} settings resolve it (a trusted proxy's
   * {@code X-Forwarded-For}, else the peer, always canonical); resolved once, then it is {@link #clientAddress()}.
   */
  public String resolvedClientAddress() {
    if (!clientAddressResolved) {
      ClientAddresses clients = runtime.clientAddresses();
      List<String> chain = clients.settings().trustedProxies().isEmpty() ? List.of()
          : request.headers().getAll(clients.settings().header());
      clientAddress = clients.resolve(clientAddress(), chain);
      clientAddressResolved = true;
    }
    return clientAddress;
  }

  /**
   * The request path as path rules see it ({@link dev.harp.http.CanonicalPath}); set before the chain on a proxy
   * that {@link ProxyRuntime#matchesPaths() matches paths}, where a path without one was already refused. Null on
   * other proxies.
   */
  public String canonicalPath() {
    return canonicalPath;
  }

  void canonicalPath(String path) {
    this.canonicalPath = path;
  }

  /**
   * The name of the {@code upstream.pools} entry every attempt of this exchange goes to, or null for the primary
   * pool (and its fallback). The SPI's {@code Attachments.UPSTREAM_POOL} reads and writes it.
   */
  public String upstreamPool() {
    return upstreamPool;
  }

  public void upstreamPool(String pool) {
    this.upstreamPool = pool;
  }

  /** Passes the exchange to the next interceptor, or to the upstream after the last one. */
  public void proceed() {
    if (completed) {
      return; // refused or aborted while an interceptor was busy: the upstream must not see it
    }
    List<ProxyInterceptor> chain = runtime.interceptors();
    if (nextInterceptor < chain.size()) {
      ProxyInterceptor next = chain.get(nextInterceptor++);
      try {
        next.onRequest(this);
      } catch (RuntimeException e) {
        fail(ProxyFailure.INTERNAL_ERROR, "interceptor " + next.getClass().getSimpleName() + " failed", e);
      }
      return;
    }
    if (phase != Phase.REQUEST) {
      return; // the last interceptor proceeded twice: the upstream must see the request once
    }
    if (upgrade) {
      enter(Phase.UPGRADE);
      UpgradeTunnel.open(this, runtime, client);
    } else {
      if (upstreamBody != null && bodies != null && bodies.seesRequest()) {
        Buffer whole = bodies.wholeRequest(upstreamBody); // the filters after the stage that replaced it
        if (completed) {
          return;
        }
        upstreamBody = whole;
      }
      enter(Phase.ATTEMPT);
      HttpForwarder.forward(this, runtime, client, connections);
    }
  }

  /**
   * Answers the client locally (a cache hit, a 429, a 401): the upstream is not called, or its response was taken
   * over by a {@link ResponseObserver}. Content-Length is set from the body, except where no body is sent (HEAD,
   * 1xx, 204, 304): there a Content-Length given in {@code headers} is kept (a HEAD answered from a stored GET
   * states the GET's length) and none is invented, since RFC 9110 §8.6 forbids a wrong one. The body passes the
   * response-body phases of the filters this exchange passed, and the length is the one they made.
   */
  public void respond(int status, MultiMap headers, Buffer body) {
    if (completed) {
      return;
    }
    Buffer payload = body == null ? Buffer.buffer() : body;
    boolean bodiless = request.method() == HttpMethod.HEAD || status == 204 || status == 304 || status < 200;
    if (bodies != null && !bodiless && bodies.seesResponse()) {
      payload = bodies.wholeResponse(payload);
      if (completed) {
        return; // a filter failed on it: its problem answer went out instead
      }
    }
    request.resume();
    HttpServerResponse response = request.response().setStatusCode(status);
    if (headers != null) {
      response.headers().addAll(headers);
    }
    response.putHeader(RequestIds.HEADER, requestId).putHeader("Via", ForwardedHeaders.VIA);
    if (!bodiless) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(payload.length()));
    } else if (status == 204 || status < 200 || (bodies != null && bodies.changesResponse())) {
      response.headers().remove(HttpHeaders.CONTENT_LENGTH); // a filter would change the length a HEAD states
    }
    bytesOut = bodiless ? 0 : payload.length();
    response.end(bodiless ? Buffer.buffer() : payload);
    complete(status, null);
  }

  /**
   * Refuses the exchange on purpose (a 429, a ban): a problem+json answer with the feature's headers (Retry-After,
   * RateLimit...), recorded with its failure for metrics and events, but not logged, since a limit that bites can
   * refuse thousands of requests a second and the access log and metrics already count them.
   *
   * @param status the failure's own status, or the one a feature's config chose instead (e.g. {@code ban.status});
   *               the problem body carries the same status
   */
  public void reject(ProxyFailure failure, int status, String detail, MultiMap headers) {
    answerProblem(failure, status, detail, headers, 0, false);
  }

  /**
   * Refuses the exchange with a failure of a kind HARP does not know (a filter's own): as {@link #reject}, with the
   * problem type, title and status the kind gives.
   */
  public void reject(FailureKind kind, String detail, long retryAfterSeconds) {
    answerProblem(kind, kind.status(), detail, null, retryAfterSeconds, false);
  }

  /** Ends the exchange with a problem response (or a closed connection if the response had already started). */
  public void fail(ProxyFailure failure, String detail, Throwable cause) {
    fail(failure, detail, cause, 0);
  }

  /**
   * As {@link #fail(ProxyFailure, String, Throwable)}, telling the client when to come back if positive; for a
   * filter's own kind too (only HARP's malformed-request kinds close the connection).
   */
  public void fail(FailureKind failure, String detail, Throwable cause, long retryAfterSeconds) {
    if (completed) {
      return;
    }
    ProxyLog.failure(this, failure, detail, cause);
    answerProblem(failure, failure.status(), detail, null, retryAfterSeconds,
        failure instanceof ProxyFailure own && own.closesConnection());
  }

  /** The one way an exchange ends with a problem answer: written by {@link Problems}, then recorded. */
  private void answerProblem(FailureKind kind, int status, String detail, MultiMap headers, long retryAfterSeconds,
                             boolean closeConnection) {
    if (completed) {
      return;
    }
    request.resume();
    int sent = Problems.send(request, kind, status, detail, requestId, headers, closeConnection, retryAfterSeconds);
    if (sent > 0) {
      bytesOut = sent; // else a response had started: its bytes so far stay counted, the connection is cut
    }
    HttpServerResponse response = request.response();
    complete(response.ended() ? response.getStatusCode() : 0, kind);
  }

  /**
   * The client's request stream failed. A body the guard refused (malformed chunk, over the size limit) is counted as
   * a rejection and answered with its status; a connection the client closed ends the exchange as client-aborted;
   * anything else is a broken request body.
   */
  public void requestFailed(Throwable t) {
    if (t instanceof RequestRejected refused) {
      Violation v = refused.violation();
      boolean canAnswer = !completed && !request.response().headWritten();
      Rejections.report(runtime, v, canAnswer ? v.failure.status : 0, request.remoteAddress(), requestId,
          refused.getMessage());
      if (completed) {
        request.connection().close();
      } else {
        fail(v.failure, Rejections.printable(refused.getMessage()), null);
      }
      return;
    }
    if (t instanceof HttpClosedException) {
      // The client left before its request ended (during a lookup, say): nobody to answer, and not a bad request.
      fail(ProxyFailure.CLIENT_ABORTED, "the client closed the connection before the exchange ended", null);
      return;
    }
    fail(ProxyFailure.BAD_REQUEST, "request body: " + HttpForwarder.describe(t), t);
  }

  /**
   * Starts this exchange's next call to the upstream (its first attempt, a retry, or an upgrade) to
   * {@code endpoint}, ending the previous call; the exchange's completion ends the last one.
   */
  UpstreamCall call(UpstreamPolicy policy, UpstreamEndpoint endpoint, int number) {
    if (call != null) {
      call.release();
    }
    call = new UpstreamCall(this, policy, endpoint, number);
    return call;
  }

  /** Runs {@code action} once when the exchange completes, however it does (one such action per exchange). */
  void whenCompleted(Runnable action) {
    onComplete = action;
  }

  /** The request went to the upstream now (an attempt or an upgrade): the upstream's time runs from here. */
  void upstreamSent() {
    upstreamStartNanos = System.nanoTime();
  }

  /** The upstream's response head arrived now. */
  void upstreamHeadArrived() {
    upstreamHeadNanos = System.nanoTime() - upstreamStartNanos;
  }

  /** Counts bytes of the client's request (body, or tunnelled bytes); returns the total so far. */
  long countIn(long bytes) {
    bytesIn += bytes;
    return bytesIn;
  }

  /** Counts bytes sent to the client (body, or tunnelled bytes). */
  void countOut(long bytes) {
    bytesOut += bytes;
  }

  public boolean isCompleted() {
    return completed;
  }

  /** Where this exchange is ({@link Phase}). */
  public Phase phase() {
    return phase;
  }

  /** Moves the exchange on; a move the phases do not allow is a bug in the engine, and says which. */
  void enter(Phase next) {
    if (!phase.mayEnter(next)) {
      throw new IllegalStateException("exchange " + requestId + " cannot go from " + phase + " to " + next);
    }
    phase = next;
  }

  void complete(int status, FailureKind failure) {
    if (completed) {
      return;
    }
    completed = true;
    phase = Phase.DONE;
    if (call != null) {
      call.release();
    }
    if (onComplete != null) {
      onComplete.run();
    }
    if (observers != null) {
      for (int i = observers.size() - 1; i >= 0; i--) {
        try {
          observers.get(i).onComplete(status, failure);
        } catch (RuntimeException e) {
          ProxyLog.failure(this, ProxyFailure.INTERNAL_ERROR, "response observer failed on completion", e);
        }
      }
    }
    long duration = System.nanoTime() - startNanos;
    String client = clientAddress();
    runtime.completed(new CompletedExchange(runtime.name(), requestId, request.method().name(), request.path(),
        status, failure, call == null ? null : call.endpoint.label(), startMillis, duration, upstreamHeadNanos,
        bytesIn, bytesOut, client, upgrade), this);
  }
}
