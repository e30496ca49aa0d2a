package dev.harp.engine;

import io.vertx.core.buffer.Buffer;

/**
 * Sees the body chunks of one exchange as they stream, on its event loop (the dashboard's size-capped body preview):
 * every request chunk, and the body of a local answer; a forwarded response is seen through a
 * {@link ResponseObserver}. It must copy what it keeps, never hold the chunk, and stay cheap: it runs once per chunk.
 */
public interface BodyTap {

  void onRequestChunk(Buffer chunk);

  void onResponseChunk(Buffer chunk);
}
