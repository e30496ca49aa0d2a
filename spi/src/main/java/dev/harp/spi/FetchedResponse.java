package dev.harp.spi;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * A whole upstream response a filter fetched itself with {@link Exchange#fetch}, its body buffered.
 *
 * @param status  the upstream's status code
 * @param headers the header fields as the upstream sent them
 * @param body    the whole body (empty when there was none)
 */
public record FetchedResponse(int status, MultiMap headers, Buffer body) {
}
