package dev.harp.cache;

/** One stored header field line, name as the upstream spelled it. */
public record HeaderField(String name, String value) {
}
