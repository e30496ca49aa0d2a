package dev.harp.engine;

import dev.harp.spi.FilterFactory;

/**
 * What a proxy's config holds under a filter's key: the factory that read the block, and what it read, so the node
 * creates the filter with the very factory (and class loader) that validated it.
 */
public record FilterBlock(FilterFactory<Object> factory, Object config) {
}
