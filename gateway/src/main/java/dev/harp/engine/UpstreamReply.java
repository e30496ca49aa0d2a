package dev.harp.engine;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** A whole upstream response fetched by a feature itself ({@link ProxyExchange#fetch}), body buffered. */
public record UpstreamReply(int status, MultiMap headers, Buffer body) {
}
