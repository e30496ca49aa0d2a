package dev.harp.spi;

/**
 * The attachments HARP itself reads or publishes, so that filters can steer the engine and see what HARP's own
 * features found, with {@link Exchange#get} and {@link Exchange#put} like any other attachment. Set them in the
 * request phase: the engine reads them after the last filter has proceeded.
 */
public final class Attachments {

  /**
   * The name of the upstream pool ({@code upstream.pools}) this exchange goes to. The engine reads it each time it
   * chooses an endpoint (the first attempt and every retry), and then chooses only among that pool's endpoints, with
   * that pool's balancer; when none of them is available the exchange is answered {@code 503} naming the pool, never
   * sent to the primary pool instead. Absent: the primary pool (and its fallback), as without pools. A name the
   * proxy does not declare (see {@link ConfigBlock#upstreamPools()}) is answered the same way.
   */
  public static final Attachment<String> UPSTREAM_POOL = Attachment.of("harp.upstreamPool", String.class);

  /**
   * A key for rate limiting: policies whose {@code by:} lists {@code rule} key the exchange by this value (requests
   * without one by their client address). Set by the rules filter's {@code rateLimitKey} action, or by any filter
   * that runs before {@code rate-limit}.
   */
  public static final Attachment<String> RATE_LIMIT_KEY = Attachment.of("harp.rateLimitKey", String.class);

  /**
   * The consumer that authenticated this exchange with an API key, as auth published it (the consumer's name);
   * absent for anonymous requests and for session logins. The same value rate limiting's {@code by: consumer} uses.
   * A filter placed after {@code auth} sees it.
   */
  public static final Attachment<String> CONSUMER = Attachment.of("auth.consumer", String.class);

  private Attachments() {
  }
}
