package dev.harp.engine;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Turns a failure into the client's answer: an {@code application/problem+json} body (RFC 9457) carrying the request
 * id. Every problem a proxy sends is written here, whoever found it (a refusing feature, a filter's own failure kind,
 * an upstream that failed), so all of them have the same shape and headers.
 */
public final class Problems {

  public static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {
  }

  /** The problem body; {@code status} is the answer's (a feature's config may choose one other than the kind's). */
  public static JsonObject body(FailureKind failure, int status, String detail, String instance, String requestId) {
    JsonObject json = new JsonObject()
        .put("type", failure.type())
        .put("title", failure.title())
        .put("status", status);
    if (failure instanceof ProxyFailure known && known.timeout != null) {
      // Which of the timeouts fired, machine-readable (RFC 9457 extension member); the detail names its key.
      json.put("timeout", known.timeout);
    }
    if (detail != null) {
      json.put("detail", detail);
    }
    if (instance != null) {
      json.put("instance", instance);
    }
    if (requestId != null) {
      json.put("requestId", requestId);
    }
    return json;
  }

  public static JsonObject body(FailureKind failure, String detail, String instance, String requestId) {
    return body(failure, failure.status(), detail, instance, requestId);
  }

  /**
   * Sends the problem unless a response head already went out (then only closing the connection is honest).
   *
   * @param status            the answer's status (499, a client that left, is answered 400 if it is still there)
   * @param headers           a feature's own fields (Retry-After, RateLimit), or null
   * @param retryAfterSeconds {@code Retry-After} when positive
   * @return the body's length in bytes, 0 when nothing was sent
   */
  public static int send(HttpServerRequest request, FailureKind failure, int status, String detail,
                         String requestId, MultiMap headers, boolean closeConnection, long retryAfterSeconds) {
    HttpServerResponse response = request.response();
    if (response.ended()) {
      return 0;
    }
    if (response.headWritten()) {
      request.connection().close();
      return 0;
    }
    if (headers != null) {
      response.headers().addAll(headers);
    }
    Buffer payload = body(failure, status, detail, request.path(), requestId).toBuffer();
    response.setStatusCode(status == 499 ? 400 : status)
        .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
        .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(payload.length()))
        .putHeader("Via", ForwardedHeaders.VIA);
    if (requestId != null) {
      response.putHeader(RequestIds.HEADER, requestId);
    }
    if (closeConnection) {
      response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    }
    if (retryAfterSeconds > 0) {
      response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    }
    response.end(payload);
    if (closeConnection) {
      // The header alone does not make Vert.x close; closing flushes the answer first (VertxConnection.writeClose).
      request.connection().close();
    }
    return payload.length();
  }
}
