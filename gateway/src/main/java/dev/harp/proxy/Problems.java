package dev.harp.proxy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Writes {@code application/problem+json} bodies (RFC 9457) carrying the request id. */
public final class Problems {

  public static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {
  }

  public static JsonObject body(ProxyFailure failure, String detail, String instance, String requestId) {
    JsonObject json = new JsonObject()
        .put("type", failure.type())
        .put("title", failure.title)
        .put("status", failure.status);
    if (failure.timeout != null) {
      // Which of the timeouts fired, machine-readable (RFC 9457 extension member); the detail names its key.
      json.put("timeout", failure.timeout);
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

  /** Sends the problem unless a response head already went out (then only closing the connection is honest). */
  public static void send(HttpServerRequest request, ProxyFailure failure, String detail, String requestId,
                          boolean closeConnection) {
    send(request, failure, detail, requestId, closeConnection, 0);
  }

  /** As above, with {@code Retry-After: retryAfterSeconds} when it is positive. */
  public static void send(HttpServerRequest request, ProxyFailure failure, String detail, String requestId,
                          boolean closeConnection, long retryAfterSeconds) {
    HttpServerResponse response = request.response();
    if (response.ended()) {
      return;
    }
    if (response.headWritten()) {
      request.connection().close();
      return;
    }
    String instance = request.path();
    Buffer payload = body(failure, detail, instance, requestId).toBuffer();
    response.setStatusCode(failure.status == 499 ? 400 : failure.status)
        .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
        .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(payload.length()));
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
  }
}
