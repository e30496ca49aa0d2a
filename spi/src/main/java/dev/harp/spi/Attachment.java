package dev.harp.spi;

import java.util.Objects;

/**
 * A typed key for a value filters share on one exchange ({@link Exchange#get}, {@link Exchange#put}) without
 * importing each other: the filter that produces it publishes the key as a constant, others read it. Keys compare by
 * identity, so two plugins that both call their key "consumer" never collide.
 *
 * @param <T> the type of the value
 */
public final class Attachment<T> {

  private final String name;
  private final Class<T> type;

  private Attachment(String name, Class<T> type) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
  }

  /**
   * A new key.
   *
   * @param name a name for logs and errors, e.g. {@code auth.consumer}
   * @param type the value's type, checked on every {@link Exchange#put}
   * @param <T>  the value's type
   * @return the key
   */
  public static <T> Attachment<T> of(String name, Class<T> type) {
    return new Attachment<>(name, type);
  }

  /** @return the key's name */
  public String name() {
    return name;
  }

  /** @return the value's type */
  public Class<T> type() {
    return type;
  }

  /**
   * Checks a value against the key's type.
   *
   * @param value a value to attach
   * @return the value, typed
   * @throws ClassCastException when it is not of the key's type
   */
  public T cast(Object value) {
    return type.cast(value);
  }

  @Override
  public String toString() {
    return name + " (" + type.getSimpleName() + ")";
  }
}
