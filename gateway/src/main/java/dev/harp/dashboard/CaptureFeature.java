package dev.harp.dashboard;

import dev.harp.node.NodeContext;
import dev.harp.node.ProxyFeature;
import dev.harp.engine.ProxyRuntime;
import io.vertx.core.Future;

/**
 * Puts the body-preview tee on the proxies whose {@code capture.bodyPreview} is above zero. It runs first in the
 * chain, so a request refused later (401, 429) still shows what it carried. Proxies without previews get no
 * interceptor at all: their exchanges never pay for this feature.
 */
public final class CaptureFeature implements ProxyFeature {

  /** Before auth ({@link ProxyFeature#ORDER_AUTH}): the preview should show the request as the client sent it. */
  static final int ORDER_CAPTURE = 50;

  @Override
  public int order() {
    return ORDER_CAPTURE;
  }

  @Override
  public Future<Void> start(NodeContext node) {
    for (ProxyRuntime runtime : node.proxies().values()) {
      int cap = settings(runtime).bodyPreview();
      if (cap > 0) {
        runtime.addInterceptor("capture", exchange -> {
          if (!exchange.isUpgrade()) {
            PreviewTap tap = new PreviewTap(cap);
            exchange.tapBodies(tap);
            // Registered first, so called last: it previews what the client gets after inner features had a say.
            exchange.observeResponse(tap);
          }
          exchange.proceed();
        });
      }
    }
    return Future.succeededFuture();
  }

  static CaptureSettings settings(ProxyRuntime runtime) {
    return runtime.config().<CaptureSettings>feature(CaptureReader.KEY).orElse(CaptureSettings.DEFAULT);
  }
}
