package dev.harp.spi;

import io.vertx.core.MultiMap;

/** The upstream response head as a filter sees it in {@link Filter#onResponseHead}. */
public interface ResponseHead {

  /** @return the upstream's status code */
  int status();

  /** @return the header fields as the upstream sent them (read only) */
  MultiMap upstreamHeaders();

  /** @return the header fields the client will get (hop-by-hop ones already removed): edit freely */
  MultiMap headers();

  /**
   * Takes this response over: none of it goes to the client. HARP reads the upstream's body to its end, discarding
   * it (no body phase sees it), then runs {@code answer} on the exchange's event loop, which must end the exchange
   * ({@link Exchange#respond}, {@link Exchange#reject} or {@link Exchange#fail}); e.g. a cache answers a
   * revalidation's 304 with its stored response, or a 5xx with a stale copy (RFC 5861 stale-if-error). The client's
   * header fields go back to what the request phases set ({@link Exchange#responseHeaders}): nothing of this
   * response, nor the response-head phases' edits of it, goes out with the answer. The filters whose response-head
   * phase has not run yet (those before this one in the pipeline) do not see this head. If the body breaks before
   * its end, this filter's {@link Filter#onUpstreamFailure} is asked instead, and HARP answers with its problem
   * when that does not.
   *
   * @param answer ends the exchange once the upstream's body was read
   * @throws UnsupportedOperationException when this head cannot be taken over (a test double); HARP's can
   */
  default void takeOver(Runnable answer) {
    throw new UnsupportedOperationException("this response head cannot be taken over");
  }
}
