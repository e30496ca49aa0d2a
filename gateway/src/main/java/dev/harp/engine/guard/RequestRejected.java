package dev.harp.engine.guard;

/**
 * A request the guard refused, travelling as the decoder's failure cause: Vert.x hands it to the invalid-request
 * handler (head refused) or to the request's exception handler (body refused), where it is answered and counted.
 *
 * <p>An {@link IllegalArgumentException} because that is what Netty's decoder and Vert.x's header validation throw
 * for bad input; callers that catch those keep working. No stack trace: hostile clients can make many of these.
 */
public final class RequestRejected extends IllegalArgumentException {

  private final Violation violation;

  public RequestRejected(Violation violation, String detail) {
    super(detail, null);
    this.violation = violation;
  }

  public Violation violation() {
    return violation;
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
