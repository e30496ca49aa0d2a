package dev.harp.config;

/**
 * Extension point: a feature owns one block under each proxy ({@code cache:}, {@code rateLimit:}, ...). Readers are
 * found with {@link java.util.ServiceLoader}; a block with no reader is reported as an unknown key.
 *
 * @param <T> the feature's validated settings
 */
public interface ProxyBlockReader<T> {

  /** The key under a proxy, e.g. {@code cache}. */
  String key();

  /** Reads the block, recording problems on {@code block} (they carry the full key path); never throws. */
  T read(ConfigNode block);
}
