package dev.harp.capture;

import io.vertx.core.buffer.Buffer;

/**
 * The size-capped tee behind body previews: copies at most {@code cap} bytes of each body and counts the rest. Per
 * chunk after the cap it is two field updates; the copy happens once, into an array allocated on the first chunk.
 * Fed by a {@link CaptureFilter}'s body phases; it never holds a chunk. Confined to the exchange's event loop; read
 * after completion on the same loop.
 */
public final class PreviewTap {

  private final int cap;
  private byte[] request;
  private int requestKept;
  private long requestTotal;
  private byte[] response;
  private int responseKept;
  private long responseTotal;

  public PreviewTap(int cap) {
    this.cap = cap;
  }

  public void onRequestChunk(Buffer chunk) {
    int len = chunk.length();
    requestTotal += len;
    if (requestKept < cap) {
      if (request == null) {
        request = new byte[cap];
      }
      int n = Math.min(cap - requestKept, len);
      chunk.getBytes(0, n, request, requestKept);
      requestKept += n;
    }
  }

  public void onResponseChunk(Buffer chunk) {
    int len = chunk.length();
    responseTotal += len;
    if (responseKept < cap) {
      if (response == null) {
        response = new byte[cap];
      }
      int n = Math.min(cap - responseKept, len);
      chunk.getBytes(0, n, response, responseKept);
      responseKept += n;
    }
  }

  public BodyPreview requestPreview() {
    return new BodyPreview(request, requestKept, requestTotal);
  }

  public BodyPreview responsePreview() {
    return new BodyPreview(response, responseKept, responseTotal);
  }

  /** The kept bytes (the array may be longer than {@code kept}) and the body's full length. */
  public record BodyPreview(byte[] bytes, int kept, long total) {
    public boolean truncated() {
      return total > kept;
    }
  }
}
