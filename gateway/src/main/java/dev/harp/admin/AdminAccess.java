package dev.harp.admin;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The one insertion point for admin authentication: {@link AdminVerticle} runs it before every route of the admin
 * port, including the dashboard page, its event-bus bridge ({@code /eventbus/*}) and the {@code /api/...} routes
 * features mount. It either calls {@code ctx.next()} or ends the response (401/403). Until the admin-auth feature
 * sets one, access is {@link #open()}.
 */
@FunctionalInterface
public interface AdminAccess extends Handler<RoutingContext> {

  static AdminAccess open() {
    return RoutingContext::next;
  }
}
