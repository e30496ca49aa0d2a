package dev.harp.dashboard;

import io.vertx.core.Vertx;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The browser's window on the event bus: a SockJS bridge that lets a page receive the dashboard's feeds and send to
 * the four request/reply addresses, and nothing else. Each address is permitted by exact name, not by pattern, so a
 * new internal address is never exposed by accident. It is mounted behind the admin server's access check.
 */
final class BridgeRoutes {

  /** Search and config requests are small; anything bigger is not from the page. */
  private static final int MAX_INBOUND_BYTES = 4096;
  /** An XHR post may batch a few frames (pings, requests): well above one frame, far below anything abusive. */
  static final int MAX_POST_BYTES = 64 * 1024;

  private final AtomicInteger sockets = new AtomicInteger();

  Router router(Vertx vertx) {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
        .setMaxHandlersPerSocket(64)
        .setReplyTimeout(10_000);
    DashboardAddresses.outbound().forEach(a -> options.addOutboundPermitted(new PermittedOptions().setAddress(a)));
    DashboardAddresses.INBOUND.forEach(a -> options.addInboundPermitted(new PermittedOptions().setAddress(a)));
    return SockJSHandler.create(vertx, new SockJSHandlerOptions().setRegisterWriteHandler(false))
        .bridge(options, event -> {
          if (event.type() == BridgeEventType.SOCKET_CREATED) {
            sockets.incrementAndGet();
          } else if (event.type() == BridgeEventType.SOCKET_CLOSED) {
            sockets.decrementAndGet();
          } else if (event.type() == BridgeEventType.SEND && event.getRawMessage() != null
              && event.getRawMessage().encode().length() > MAX_INBOUND_BYTES) {
            event.complete(false);
            return;
          }
          event.complete(true);
        });
  }

  int sockets() {
    return sockets.get();
  }
}
