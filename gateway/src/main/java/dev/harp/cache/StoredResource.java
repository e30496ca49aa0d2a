package dev.harp.cache;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The IMap value for one cache key: its stored variants, newest first (RFC 9111 §4.1 prefers the most recent when
 * several match). One entry per URL keeps a lookup to one near-cache/IMap read whatever the Vary, and lets a purge
 * or an invalidation remove every variant at once.
 *
 * <p>DataSerializable (explicit field writes, no reflection, no class registration needed on the members) instead
 * of Java serialization: smaller and faster. The near cache keeps the deserialized object, so a hot hit decodes
 * nothing.
 */
public final class StoredResource implements DataSerializable {

  private List<StoredResponse> variants;

  /** For Hazelcast's deserializer. */
  public StoredResource() {
    this.variants = List.of();
  }

  public StoredResource(List<StoredResponse> variants) {
    this.variants = List.copyOf(variants);
  }

  public List<StoredResponse> variants() {
    return variants;
  }

  /** Bytes of bodies and header values, for logs and metrics (Hazelcast measures the real heap cost). */
  public long approximateBytes() {
    long n = 0;
    for (StoredResponse r : variants) {
      n += r.body().length;
      for (HeaderField h : r.headers()) {
        n += h.name().length() + h.value().length() + 4;
      }
    }
    return n;
  }

  /** This resource with {@code fresh} in front, replacing the variant it supersedes, at most {@code max} kept. */
  public StoredResource with(StoredResponse fresh, int max) {
    List<StoredResponse> out = new ArrayList<>(variants.size() + 1);
    out.add(fresh);
    for (StoredResponse v : variants) {
      if (out.size() >= max) {
        break;
      }
      if (!v.sameVariantAs(fresh)) {
        out.add(v);
      }
    }
    return new StoredResource(out);
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(variants.size());
    for (StoredResponse r : variants) {
      writeResponse(out, r);
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    int n = in.readInt();
    List<StoredResponse> read = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      read.add(readResponse(in));
    }
    variants = List.copyOf(read);
  }

  static void writeResponse(ObjectDataOutput out, StoredResponse r) throws IOException {
    out.writeInt(r.status());
    out.writeInt(r.headers().size());
    for (HeaderField h : r.headers()) {
      out.writeString(h.name());
      out.writeString(h.value());
    }
    out.writeByteArray(r.body());
    out.writeLong(r.requestTime());
    out.writeLong(r.responseTime());
    out.writeLong(r.dateValue());
    out.writeLong(r.ageValue());
    out.writeLong(r.lifetimeMillis());
    out.writeBoolean(r.mustRevalidate());
    out.writeBoolean(r.noCache());
    writeStrings(out, r.noCacheFields());
    out.writeLong(r.staleWhileRevalidate());
    out.writeLong(r.staleIfError());
    out.writeBoolean(r.immutable());
    out.writeString(r.etag());
    out.writeString(r.lastModified());
    writeStrings(out, r.varyNames());
    writeStrings(out, r.varyValues());
  }

  static StoredResponse readResponse(ObjectDataInput in) throws IOException {
    int status = in.readInt();
    int headerCount = in.readInt();
    List<HeaderField> headers = new ArrayList<>(headerCount);
    for (int i = 0; i < headerCount; i++) {
      headers.add(new HeaderField(in.readString(), in.readString()));
    }
    byte[] body = in.readByteArray();
    return new StoredResponse(status, List.copyOf(headers), body, in.readLong(), in.readLong(), in.readLong(),
        in.readLong(), in.readLong(), in.readBoolean(), in.readBoolean(), readStrings(in), in.readLong(),
        in.readLong(), in.readBoolean(), in.readString(), in.readString(), readStrings(in), readStrings(in));
  }

  private static void writeStrings(ObjectDataOutput out, List<String> list) throws IOException {
    out.writeInt(list.size());
    for (String s : list) {
      out.writeString(s);
    }
  }

  private static List<String> readStrings(ObjectDataInput in) throws IOException {
    int n = in.readInt();
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(in.readString());
    }
    return List.copyOf(out);
  }
}
