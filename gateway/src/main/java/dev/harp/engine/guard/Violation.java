package dev.harp.engine.guard;

import dev.harp.engine.ProxyFailure;

/**
 * Every reason the guard refuses a request. The slug is the {@code reason} label of the rejection metric and log
 * line, so it must stay stable; the failure carries the status the client is answered with.
 */
public enum Violation {
  // Framing: anything that could make HARP and an upstream disagree about where a request ends (smuggling).
  CONTENT_LENGTH_AND_TRANSFER_ENCODING("content-length-and-transfer-encoding", ProxyFailure.BAD_REQUEST),
  DUPLICATE_CONTENT_LENGTH("duplicate-content-length", ProxyFailure.BAD_REQUEST),
  INVALID_CONTENT_LENGTH("invalid-content-length", ProxyFailure.BAD_REQUEST),
  DUPLICATE_TRANSFER_ENCODING("duplicate-transfer-encoding", ProxyFailure.BAD_REQUEST),
  INVALID_TRANSFER_ENCODING("invalid-transfer-encoding", ProxyFailure.BAD_REQUEST),
  MALFORMED_CHUNK("malformed-chunk", ProxyFailure.BAD_REQUEST),

  // Syntax of the head.
  INVALID_REQUEST_LINE("invalid-request-line", ProxyFailure.BAD_REQUEST),
  UNSUPPORTED_HTTP_VERSION("unsupported-http-version", ProxyFailure.HTTP_VERSION_NOT_SUPPORTED),
  OBSOLETE_LINE_FOLDING("obsolete-line-folding", ProxyFailure.BAD_REQUEST),
  BARE_LF("bare-lf", ProxyFailure.BAD_REQUEST),
  INVALID_HEADER_NAME("invalid-header-name", ProxyFailure.BAD_REQUEST),
  INVALID_HEADER_VALUE("invalid-header-value", ProxyFailure.BAD_REQUEST),
  MALFORMED_HEADER("malformed-header", ProxyFailure.BAD_REQUEST),
  /** A head Netty refused for a reason the strict decoder did not name (it names all it knows of). */
  MALFORMED_REQUEST("malformed-request", ProxyFailure.BAD_REQUEST),

  // Semantics: a path that upstreams read in different ways, on a proxy with path rules (see ProxyRuntime#matchPaths).
  AMBIGUOUS_PATH("ambiguous-path", ProxyFailure.BAD_REQUEST),

  // Limits.
  URI_TOO_LONG("uri-too-long", ProxyFailure.URI_TOO_LONG),
  HEADER_SECTION_TOO_LARGE("header-section-too-large", ProxyFailure.REQUEST_HEADER_FIELDS_TOO_LARGE),
  TOO_MANY_HEADERS("too-many-headers", ProxyFailure.REQUEST_HEADER_FIELDS_TOO_LARGE),
  BODY_TOO_LARGE("body-too-large", ProxyFailure.REQUEST_BODY_TOO_LARGE),
  HEADER_READ_TIMEOUT("header-read-timeout", ProxyFailure.REQUEST_HEADER_TIMEOUT);

  public final String slug;
  public final ProxyFailure failure;

  Violation(String slug, ProxyFailure failure) {
    this.slug = slug;
    this.failure = failure;
  }
}
