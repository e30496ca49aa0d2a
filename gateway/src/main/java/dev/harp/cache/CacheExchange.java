package dev.harp.cache;

import dev.harp.spi.Exchange;
import dev.harp.spi.Failure;
import dev.harp.spi.Next;
import dev.harp.spi.ResponseHead;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One GET or HEAD through the cache: look up, then answer from the cache, validate with the upstream, or fetch and
 * store. As the {@link ResponseWatcher} of the forwarded exchange it tees the body into the store, and takes over a
 * validation's 304 (answered with the stored body) or an upstream error it may cover with a stale copy.
 */
final class CacheExchange implements ResponseWatcher {

  private static final Logger LOG = LoggerFactory.getLogger(CacheExchange.class);
  private static final byte[] NO_BODY = new byte[0];

  private enum TakeOver { NONE, FRESHEN, STALE_IF_ERROR, MISMATCH }

  private final ProxyCache cache;
  private final Exchange ex;
  private final Next next;
  private final Context ctx;
  private String key;
  private CacheControl requestCc = CacheControl.EMPTY;
  private boolean authorized;

  /** RFC 9211 fwd reason of the forward under way. */
  private String fwd;
  /** The stored response being validated, or null on a miss. */
  private StoredResponse validating;
  /** The coalescing flight this exchange leads, or null. */
  private Flights.Flight flight;
  private long requestTime;
  private long responseTime;
  private TakeOver takeOver = TakeOver.NONE;
  private int upstreamStatus;
  private MultiMap upstreamHeaders;
  /** The response being stored (head judged, body still arriving), and its body so far; null when not storing. */
  private StoredResponse storing;
  private Buffer body;
  /**
   * Whether this exchange counts in writesPending: from the head of a response it stores until the store is under
   * way. The client can hold the whole body (Content-Length reached) before the upstream's end event reaches us, so
   * counting from the head is what lets anyone wait for "stored" honestly.
   */
  private boolean pendingHeld;

  CacheExchange(ProxyCache cache, Exchange ex, Next next) {
    this.cache = cache;
    this.ex = ex;
    this.next = next;
    this.ctx = Vertx.currentContext();
  }

  void start() {
    MultiMap h = ex.headers();
    if (h.contains("if-match") || h.contains("if-unmodified-since")) {
      // Preconditions about the origin's current state (RFC 9110 §13.1.1, §13.1.4): only the origin can judge them.
      passThrough("request", null);
      return;
    }
    key = cache.keyOf(ex);
    requestCc = UsePolicy.requestDirectives(h);
    authorized = h.contains("authorization");
    cache.store.get(key, ctx, this::found);
  }

  private void found(StoredResource resource, Throwable error) {
    if (ex.isCompleted()) {
      // The client left during the lookup. Going on would make this exchange lead a coalescing flight it never
      // forwards, so the flight would never land and every later miss for the key would wait out coalesceTimeout.
      return;
    }
    if (error != null) {
      cache.metrics.error("lookup");
      LOG.warn("cache lookup failed for {} (served as a miss): {}", key, error.toString());
    }
    if (resource == null || resource.variants().isEmpty()) {
      miss("uri-miss");
      return;
    }
    StoredResponse selected = null;
    for (StoredResponse r : resource.variants()) {
      if (CacheKeys.matches(r, ex.headers())) {
        selected = r; // newest first: the most recent match wins (RFC 9111 §4.1)
        break;
      }
    }
    if (selected == null) {
      miss("vary-miss");
      return;
    }
    CacheLookup lookup = UsePolicy.decide(selected, requestCc, cache.now(), cache.settings);
    if (lookup instanceof CacheLookup.Usable usable) {
      hit(usable);
    } else if (lookup instanceof CacheLookup.Validate validate) {
      validate(validate);
    } else {
      miss(((CacheLookup.Miss) lookup).fwd());
    }
  }

  private void hit(CacheLookup.Usable u) {
    cache.metrics.hits.increment();
    if (u.detail() != null) {
      cache.metrics.staleServed(u.detail());
    }
    if (u.refresh()) {
      Refresher.refresh(cache, ex, key, u.stored()); // started before answering, so its write counts as pending
    }
    Responder.serve(ex, u.stored(), u.ageMillis(), cache.status().hit().ttl(u.ttlMillis()).detail(u.detail()),
        false);
  }

  private void validate(CacheLookup.Validate v) {
    if (requestCc.has("only-if-cached")) {
      notCached();
      return;
    }
    if (ex.headers().contains("range")) {
      passThrough(v.fwd(), "range");
      return;
    }
    validating = v.stored();
    fwd = v.fwd();
    coalesceThenForward();
  }

  private void miss(String reason) {
    if (requestCc.has("only-if-cached")) {
      notCached();
      return;
    }
    cache.metrics.misses.increment();
    fwd = reason;
    if (ex.method() == HttpMethod.HEAD) {
      passThrough(reason, null); // a HEAD response has no body to store for GETs
    } else if (ex.headers().contains("range")) {
      passThrough(reason, "range"); // a partial response is not stored (RFC 9111 §3.3); the range goes upstream
    } else if (Responder.isConditional(ex.headers())) {
      forward(); // the client's validators go upstream: a 304 passes through, a 200 is stored
    } else {
      coalesceThenForward();
    }
  }

  private void notCached() {
    ex.fail(Failure.of(CacheFailures.NOT_CACHED,
        "only-if-cached, and no stored response can be used (RFC 9111 §5.2.1.7)"), null);
  }

  private void coalesceThenForward() {
    if (!cache.settings.coalesce() || ex.method() != HttpMethod.GET) {
      forward();
      return;
    }
    Flights.Flight led = cache.flights.lead(key);
    if (led != null) {
      flight = led;
      forward();
      return;
    }
    Flights.Flight current = cache.flights.current(key);
    if (current != null && current.await(ctx, cache.settings.coalesceTimeout().toMillis(), this::afterWait)) {
      cache.metrics.coalesced.increment();
      return;
    }
    forward(); // the flight landed meanwhile: rare enough to just go on our own
  }

  /** The leader's result (or null): used if it suits this request, else this request goes upstream itself. */
  private void afterWait(StoredResponse leaders) {
    if (leaders != null && CacheKeys.matches(leaders, ex.headers())) {
      long now = cache.now();
      CacheLookup lookup = UsePolicy.decide(leaders, requestCc, now, cache.settings);
      if (lookup instanceof CacheLookup.Usable u && !u.refresh() && u.detail() == null) {
        CacheStatus status = cache.status().fwd(fwd).fwdStatus(leaders.status()).collapsed().ttl(u.ttlMillis());
        Responder.serve(ex, leaders, u.ageMillis(), status, true);
        return;
      }
    }
    forward();
  }

  private void forward() {
    requestTime = cache.now();
    if (validating != null) {
      ex.editUpstreamHeaders(this::putValidators);
    }
    ResponseWatcher.forward(ex, this, next);
  }

  /** RFC 9111 §4.3.1: validate with the stored response's validators, not the client's. */
  private void putValidators(MultiMap out) {
    out.remove("if-none-match");
    out.remove("if-modified-since");
    out.remove("if-range");
    if (validating.etag() != null) {
      out.set("If-None-Match", validating.etag());
    }
    if (validating.lastModified() != null) {
      out.set("If-Modified-Since", validating.lastModified());
    }
  }

  /** Forwards without storing anything, stating why in Cache-Status. */
  private void passThrough(String reason, String detail) {
    ResponseWatcher.forward(ex, ResponseWatcher.passThrough(cache, reason, detail), next);
  }

  // ---- the forwarded exchange, as its response watcher -----------------------------------------------------------

  @Override
  public void onHead(ResponseHead head) {
    int status = head.status();
    MultiMap up = head.upstreamHeaders();
    MultiMap client = head.headers();
    responseTime = cache.now();
    upstreamStatus = status;
    upstreamHeaders = up;
    if (validating != null) {
      if (status == 304) {
        String etag = up.get("etag");
        boolean mismatch = etag != null && validating.etag() != null
            && !Validators.noneMatchHits(java.util.List.of(validating.etag()), etag);
        takeOver = mismatch ? TakeOver.MISMATCH : TakeOver.FRESHEN;
        head.takeOver(this::answerTakenOver);
        return;
      }
      if (UsePolicy.isErrorStatus(status)
          && UsePolicy.staleIfErrorAllows(validating, requestCc, responseTime, cache.settings)) {
        takeOver = TakeOver.STALE_IF_ERROR;
        head.takeOver(this::answerTakenOver);
        return;
      }
      cache.metrics.revalidation(UsePolicy.isErrorStatus(status) ? "error" : "modified");
    }
    CacheStatus cs = cache.status().fwd(fwd).fwdStatus(status);
    String refusal = ex.method() == HttpMethod.GET ? refusal(status, up) : "head";
    if (refusal == null) {
      long length = contentLength(up);
      storing = Storing.build(status, up, NO_BODY, requestTime, responseTime, ex.headers(), cache.settings);
      body = Buffer.buffer(length > 0 ? (int) length : 1024);
      holdPending();
      if (length >= 0) {
        cs.stored(); // known now; a chunked body is stored too if it ends within maxObjectSize
      }
    } else {
      if (status != 304 && !refusal.equals("head")) {
        cache.metrics.notStored(refusal);
        cs.detail(refusal);
      }
      if (validating != null && ex.method() == HttpMethod.GET && !UsePolicy.isErrorStatus(status)) {
        cache.store.remove(key, ctx); // superseded by a response that may not be stored
      }
      land(null);
    }
    client.set("Cache-Status", cs.after(client.get("cache-status")));
  }

  private String refusal(int status, MultiMap up) {
    CacheControl responseCc = CacheControl.parse(up.getAll("cache-control"));
    String refusal = Storing.refusal(requestCc, authorized, status, up, responseCc, cache.settings);
    if (refusal != null) {
      return refusal;
    }
    if (contentLength(up) > cache.settings.maxObjectSize()) {
      return "too-large";
    }
    StoredResponse head = Storing.build(status, up, NO_BODY, requestTime, cache.now(), ex.headers(),
        cache.settings);
    boolean usable = head.lifetimeMillis() > 0 && !head.noCache();
    if (!usable && !head.hasValidator()) {
      return "no-freshness"; // nothing a later request could use without fetching it whole again
    }
    return null;
  }

  @Override
  public void onChunk(Buffer chunk) {
    if (storing == null) {
      return;
    }
    if (body.length() + chunk.length() > cache.settings.maxObjectSize()) {
      storing = null;
      body = null;
      cache.metrics.notStored("too-large");
      land(null);
      releasePending();
      return;
    }
    body.appendBuffer(chunk);
  }

  @Override
  public void onEnd() {
    if (storing != null) {
      StoredResponse complete = storing.withBody(body.getBytes());
      storing = null;
      body = null;
      cache.store.store(key, complete, cache.now(), ctx);
      land(complete);
      releasePending();
    }
  }

  /** The upstream's body of a response taken over was read: answer instead of it. */
  private void answerTakenOver() {
    switch (takeOver) {
      case FRESHEN -> freshen();
      case STALE_IF_ERROR -> serveStale(upstreamStatus);
      case MISMATCH -> {
        cache.store.remove(key, ctx);
        land(null);
        ex.fail(Failure.of(CacheFailures.UPSTREAM_PROTOCOL_ERROR,
            "304 with an ETag that matches no stored response"), null);
      }
      case NONE -> throw new IllegalStateException("not taken over");
    }
  }

  /** RFC 9111 §4.3.4: the 304 refreshes the stored response, which then answers the client. */
  private void freshen() {
    StoredResponse fresh = Storing.freshen(validating, upstreamHeaders, requestTime, responseTime, cache.settings);
    long now = cache.now();
    cache.metrics.revalidation("not-modified");
    cache.store.store(key, fresh, now, ctx);
    land(fresh);
    for (String cookie : Storing.cookiesForValidator(upstreamHeaders, cache.settings)) {
      ex.responseHeaders().add("Set-Cookie", cookie);
    }
    Responder.serve(ex, fresh, fresh.currentAge(now),
        cache.status().fwd(fwd).fwdStatus(304).ttl(fresh.ttl(now)), true);
  }

  /** RFC 5861 §4: the upstream failed, and the stored response may stand in for it. */
  private void serveStale(int fwdStatus) {
    long now = cache.now();
    cache.metrics.revalidation("error");
    cache.metrics.staleServed("stale-if-error");
    land(null);
    CacheStatus cs = cache.status().fwd(fwd);
    if (fwdStatus > 0) {
      cs.fwdStatus(fwdStatus);
    }
    Responder.serve(ex, validating, validating.currentAge(now), cs.ttl(validating.ttl(now)).detail("stale-if-error"),
        false);
  }

  @Override
  public boolean onUpstreamFailure(Failure failure) {
    if (validating != null && !failure.type().slug().equals(CacheFailures.CLIENT_ABORTED)
        && UsePolicy.staleIfErrorAllows(validating, requestCc, cache.now(), cache.settings)) {
      serveStale(0);
      return true;
    }
    if (validating != null) {
      cache.metrics.revalidation("error");
    }
    return false;
  }

  @Override
  public void onComplete() {
    land(null); // a no-op when the flight already landed with a result
    releasePending();
  }

  private void holdPending() {
    if (!pendingHeld) {
      pendingHeld = true;
      cache.metrics.writesPending.incrementAndGet();
    }
  }

  private void releasePending() {
    if (pendingHeld) {
      pendingHeld = false;
      cache.metrics.writesPending.decrementAndGet();
    }
  }

  private void land(StoredResponse result) {
    if (flight != null) {
      Flights.Flight f = flight;
      flight = null;
      f.land(result);
    }
  }

  private static long contentLength(MultiMap headers) {
    String v = headers.get("content-length");
    if (v == null) {
      return -1;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
