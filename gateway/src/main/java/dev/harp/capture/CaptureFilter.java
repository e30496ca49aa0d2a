package dev.harp.capture;

import dev.harp.spi.Attachment;
import dev.harp.spi.Exchange;
import dev.harp.spi.Filter;
import dev.harp.spi.Next;
import io.vertx.core.buffer.Buffer;

/**
 * Body previews for one proxy: each exchange gets a {@link PreviewTap} that its body phases feed, observing only
 * (the bodies, their Content-Length and framing are left as they are). It sits before auth, so a request refused
 * later (401, 429) still shows what it carried; its response phase, being outer, sees what the client gets after
 * inner filters and the cache had their say (a cache hit or a 304 answered with the stored body included).
 * Upgrades are not previewed.
 */
public final class CaptureFilter implements Filter {

  /** The exchange's preview, read by {@link ExchangeCapture} when the exchange completes. */
  public static final Attachment<PreviewTap> PREVIEW = Attachment.of("harp.capture.preview", PreviewTap.class);

  private final int cap;

  CaptureFilter(int cap) {
    this.cap = cap;
  }

  @Override
  public void onRequest(Exchange exchange, Next next) {
    exchange.put(PREVIEW, new PreviewTap(cap));
    next.proceed();
  }

  @Override
  public Buffer onRequestChunk(Exchange exchange, Buffer chunk) {
    PreviewTap tap = exchange.get(PREVIEW);
    if (tap != null) {
      tap.onRequestChunk(chunk);
    }
    return chunk;
  }

  @Override
  public Buffer onResponseChunk(Exchange exchange, Buffer chunk) {
    PreviewTap tap = exchange.get(PREVIEW);
    if (tap != null) {
      tap.onResponseChunk(chunk);
    }
    return chunk;
  }

  @Override
  public boolean changesBodies() {
    return false;
  }
}
