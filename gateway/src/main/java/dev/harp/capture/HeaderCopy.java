package dev.harp.capture;

import io.vertx.core.MultiMap;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * A head's fields as name, value, name, value...: header names and values are immutable strings, so copying the
 * references is enough, and cheap enough for an event loop. Redaction happens later, elsewhere.
 */
public final class HeaderCopy implements BiConsumer<String, String> {

  private String[] out;
  private int i;

  private HeaderCopy(int capacity) {
    out = new String[capacity];
  }

  public static String[] of(MultiMap headers) {
    // size() counts names, not fields: a repeated field needs more room. forEach walks the map's own entry list;
    // its iterator() builds a list of entries first, which cost several times more.
    HeaderCopy copy = new HeaderCopy(headers.size() * 2 + 4);
    headers.forEach(copy);
    return copy.i == copy.out.length ? copy.out : Arrays.copyOf(copy.out, copy.i);
  }

  @Override
  public void accept(String name, String value) {
    if (i + 2 > out.length) {
      out = Arrays.copyOf(out, out.length * 2);
    }
    out[i++] = name;
    out[i++] = Objects.toString(value, "");
  }
}
