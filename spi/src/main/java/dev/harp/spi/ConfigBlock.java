package dev.harp.spi;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A filter's config block under a proxy (e.g. {@code proxies[0].hmac}), with readers that record every problem with
 * its full key path instead of throwing: the node then refuses to start and lists them all, like its own config
 * errors. Readers return their default when a value is absent or wrong.
 */
public interface ConfigBlock {

  /** @return the block's key path, e.g. {@code proxies[0].hmac} */
  String path();

  /**
   * @param key a key of this block
   * @return whether it is present
   */
  boolean has(String key);

  /**
   * The keys of this block, in file order: for blocks whose keys are data, such as a mapping of header names to
   * values.
   *
   * @return its keys (empty when it is absent or not a mapping)
   */
  List<String> keys();

  /**
   * The mappings of this block when the block itself is a list (e.g. {@code proxies[0].rules}), each a block with its
   * index in its path ({@code proxies[0].rules[2]}). A block that is present but not a list of mappings records a
   * problem and gives none.
   *
   * @return its entries, empty when it is absent
   */
  List<ConfigBlock> items();

  /**
   * Records a problem with every key not in {@code allowed}.
   *
   * @param allowed the keys this block may have
   */
  void allowOnly(Set<String> allowed);

  /**
   * Records a problem at {@code key}, reported as {@code <path>.<key>: <reason>}.
   *
   * @param key    the key the problem is about
   * @param reason what is wrong, for the operator
   */
  void problem(String key, String reason);

  /**
   * @param key the key
   * @param def the default
   * @return the string at key, or the default
   */
  String string(String key, String def);

  /**
   * @param key the key
   * @return the string at key; a problem is recorded (and null returned) when it is absent
   */
  String requiredString(String key);

  /**
   * @param key the key
   * @param def the default
   * @return the boolean at key, or the default
   */
  boolean bool(String key, boolean def);

  /**
   * @param key the key
   * @param def the default
   * @param min the smallest value allowed
   * @param max the largest value allowed
   * @return the integer at key, or the default
   */
  long integer(String key, long def, long min, long max);

  /**
   * @param key the key
   * @param def the default
   * @return a duration such as {@code 500ms}, {@code 2s}, {@code 5m}, or the default
   */
  Duration duration(String key, Duration def);

  /**
   * @param key the key
   * @return the strings of a list at key (a single string counts as a list of one), empty when absent
   */
  List<String> strings(String key);

  /**
   * @param key the key
   * @return the mapping at key as a block (an absent one has no keys)
   */
  ConfigBlock object(String key);

  /**
   * @param key the key
   * @return the mappings of a list at key, each a block with its index in its path
   */
  List<ConfigBlock> objects(String key);

  /**
   * The names of the upstream pools the proxy declares ({@code upstream.pools}), in file order: a filter that routes
   * exchanges to a pool (with {@link Attachments#UPSTREAM_POOL}) checks the names it was given against these.
   *
   * @return the pool names, empty when the proxy declares none
   */
  default List<String> upstreamPools() {
    return List.of();
  }
}
