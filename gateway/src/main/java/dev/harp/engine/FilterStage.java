package dev.harp.engine;

import dev.harp.spi.Completion;
import dev.harp.spi.Failure;
import dev.harp.spi.Filter;
import dev.harp.spi.Next;
import dev.harp.spi.ResponseHead;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

import java.util.Objects;

/**
 * One SPI {@link Filter} as a stage of a proxy's chain: its request phase in the chain, its response-head and
 * upstream-failure phases as a response observer ({@link Observer}), its body phases on the exchange's
 * {@link BodyPhases}, its completion phase from the proxy's completed exchanges. A phase the filter does not
 * implement costs nothing: no observer is registered, no body phases made, no listener added; a filter that
 * implements none only passes the exchange on.
 */
final class FilterStage implements ProxyInterceptor {

  private final String name;
  private final Filter filter;
  private final boolean upgrades;
  private final boolean seesHeads;
  private final boolean seesFailures;
  private final boolean seesCompletions;
  private final boolean seesRequests;
  private final boolean seesRequestBodies;
  private final boolean seesResponseBodies;
  private final boolean changesBodies;
  /** The attribute that says an exchange passed this stage's request phase (so its completion is reported). */
  private final String passedKey;

  FilterStage(String name, Filter filter) {
    this.name = name;
    this.filter = filter;
    this.upgrades = filter.handlesUpgrades();
    this.seesHeads = overrides(filter, "onResponseHead", dev.harp.spi.Exchange.class, ResponseHead.class);
    this.seesFailures = overrides(filter, "onUpstreamFailure", dev.harp.spi.Exchange.class, Failure.class);
    this.seesCompletions = overrides(filter, "onComplete", dev.harp.spi.Exchange.class, Completion.class);
    this.seesRequests = overrides(filter, "onRequest", dev.harp.spi.Exchange.class, Next.class);
    this.seesRequestBodies = overrides(filter, "onRequestChunk", dev.harp.spi.Exchange.class, Buffer.class)
        || overrides(filter, "onRequestEnd", dev.harp.spi.Exchange.class);
    this.seesResponseBodies = overrides(filter, "onResponseChunk", dev.harp.spi.Exchange.class, Buffer.class)
        || overrides(filter, "onResponseEnd", dev.harp.spi.Exchange.class);
    this.changesBodies = (seesRequestBodies || seesResponseBodies) && filter.changesBodies();
    this.passedKey = "dev.harp.engine.passed." + name;
  }

  /** The completion listener, or null when the filter does not observe completions. */
  ExchangeListener completionListener() {
    if (!seesCompletions) {
      return null;
    }
    return new ExchangeListener() {
      @Override
      public void onComplete(CompletedExchange exchange) {
        // Only through the two-argument form: the live exchange says whether it passed this stage.
      }

      @Override
      public void onComplete(CompletedExchange done, ProxyExchange live) {
        if (live.attributes().containsKey(passedKey)) {
          filter.onComplete(ExchangeView.of(live), new Completion(done.status(),
              done.failure() == null ? null : done.failure().slug(), done.upstream(), done.durationNanos(),
              done.bytesOut()));
        }
      }
    };
  }

  @Override
  public void onRequest(ProxyExchange ex) {
    if ((ex.isUpgrade() && !upgrades) || !(seesRequests || seesHeads || seesFailures || seesCompletions || seesRequestBodies
        || seesResponseBodies)) {
      ex.proceed();
      return;
    }
    ExchangeView view = ExchangeView.of(ex);
    if ((seesRequestBodies || seesResponseBodies) && !ex.isUpgrade()) {
      // Before the request phase: an answer the filter makes itself passes its own response-body phase too.
      ex.bodyPhases().add(new BodyPhases.Entry(filter, view, changesBodies, seesRequestBodies, seesResponseBodies));
    }
    if (seesCompletions) {
      ex.attributes().put(passedKey, Boolean.TRUE); // only a filter that hears completions pays for the mark
    }
    if (seesHeads || seesFailures) {
      ex.observeResponse(new Observer(filter, view, seesHeads, seesFailures));
    }
    filter.onRequest(view, new Once(ex));
  }

  String name() {
    return name;
  }

  private static boolean overrides(Filter filter, String method, Class<?>... params) {
    try {
      return filter.getClass().getMethod(method, params).getDeclaringClass() != Filter.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /** Continues the exchange the first time only: a filter that calls it twice must not send the request twice. */
  private static final class Once implements Next {
    private final ProxyExchange ex;
    private boolean done;

    Once(ProxyExchange ex) {
      this.ex = ex;
    }

    @Override
    public void proceed() {
      if (!done) {
        done = true;
        ex.proceed();
      }
    }
  }

  /**
   * The filter's response-head and upstream-failure phases on one exchange. A head the filter {@link
   * ResponseHead#takeOver takes over} makes this the relay's taker: the upstream's body is drained (only the end
   * matters), then the filter's answer runs.
   */
  private static final class Observer implements ResponseObserver {
    private final Filter filter;
    private final ExchangeView view;
    private final boolean heads;
    private final boolean failures;
    /** The filter's answer once it took the response over; null while it has not. */
    private Runnable answer;

    Observer(Filter filter, ExchangeView view, boolean heads, boolean failures) {
      this.filter = filter;
      this.view = view;
      this.heads = heads;
      this.failures = failures;
    }

    @Override
    public boolean onHead(int status, MultiMap upstreamHeaders, MultiMap clientHeaders) {
      if (!heads) {
        return false;
      }
      Head head = new Head(status, upstreamHeaders, clientHeaders);
      filter.onResponseHead(view, head);
      answer = head.answer;
      return answer != null;
    }

    @Override
    public void onEnd() {
      if (answer != null) {
        answer.run(); // only a taker hears the end: the relay ends any other response itself
      }
    }

    @Override
    public boolean onFailure(ProxyFailure failure, Throwable cause) {
      if (!failures) {
        return false;
      }
      String detail = cause == null || cause.getMessage() == null ? failure.title : cause.getMessage();
      return filter.onUpstreamFailure(view, Failure.of(failure.failureType(), detail));
    }
  }

  /** The head a response-head phase sees; remembers whether (and with what) the filter took it over. */
  private static final class Head implements ResponseHead {
    private final int status;
    private final MultiMap upstreamHeaders;
    private final MultiMap headers;
    private Runnable answer;

    Head(int status, MultiMap upstreamHeaders, MultiMap headers) {
      this.status = status;
      this.upstreamHeaders = upstreamHeaders;
      this.headers = headers;
    }

    @Override
    public int status() {
      return status;
    }

    @Override
    public MultiMap upstreamHeaders() {
      return upstreamHeaders;
    }

    @Override
    public MultiMap headers() {
      return headers;
    }

    @Override
    public void takeOver(Runnable answer) {
      this.answer = Objects.requireNonNull(answer, "answer");
    }
  }
}
