package dev.harp.spi;

import io.vertx.core.MultiMap;

/** How one attempt to an upstream endpoint ended: with a response head, or with a failure before one. */
public interface AttemptResult {

  /** @return the endpoint the attempt went to */
  Endpoint endpoint();

  /** @return the attempt's number, 0 for the first */
  int number();

  /**
   * @return whether the engine could still send the request again (nothing reached the client, the body can be
   *     replayed): a {@link AttemptVerdict#retry} is honoured only then
   */
  boolean retryable();

  /** @return the response status, or 0 when the attempt failed before a head */
  int status();

  /** @return the response's header fields, or null when the attempt failed before a head */
  MultiMap headers();

  /**
   * @return the failure's problem-type slug (e.g. {@code upstream-connect-failed}, {@code upstream-closed},
   *     {@code upstream-response-timeout}), or null when the endpoint answered
   */
  String failure();

  /** @return false only when no request byte can have reached the endpoint (no connection was obtained) */
  boolean sent();
}
