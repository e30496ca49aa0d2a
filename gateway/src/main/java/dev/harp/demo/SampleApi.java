package dev.harp.demo;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A small upstream API for the demo: JSON items, an echo, a slow endpoint, Server-Sent Events and a WebSocket echo.
 * Every response says which instance answered, so a user sees the proxy spread requests.
 */
public final class SampleApi extends VerticleBase {

  private final String bind;
  private final int port;
  private HttpServer server;

  public SampleApi(String bind, int port) {
    this.bind = bind;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer()
        .webSocketHandler(ws -> ws.handler(ws::write))
        .requestHandler(this::handle);
    return server.listen(port, bind);
  }

  public int actualPort() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest req) {
    String path = req.path();
    req.response().putHeader("X-Served-By", "sample-api:" + port);
    if (path.equals("/items") && req.method().name().equals("GET")) {
      JsonArray items = new JsonArray();
      for (int i = 1; i <= 3; i++) {
        items.add(new JsonObject().put("id", i).put("name", "item-" + i));
      }
      json(req, 200, new JsonObject().put("items", items));
    } else if (path.startsWith("/items/") && req.method().name().equals("GET")) {
      json(req, 200, new JsonObject().put("id", path.substring(7)).put("name", "item-" + path.substring(7)));
    } else if (path.equals("/echo")) {
      req.body().onSuccess(body -> json(req, 200, new JsonObject().put("method", req.method().name())
          .put("headers", headers(req)).put("body", body.toString())));
    } else if (path.equals("/slow")) {
      long ms = Long.parseLong(req.getParam("ms", "1000"));
      vertx.setTimer(Math.max(1, Math.min(ms, 60_000)), t -> json(req, 200, new JsonObject().put("sleptMs", ms)));
    } else if (path.equals("/events")) {
      sse(req);
    } else {
      json(req, 404, new JsonObject().put("error", "no such path").put("path", path));
    }
  }

  private void sse(HttpServerRequest req) {
    int count = Integer.parseInt(req.getParam("count", "10"));
    long every = Long.parseLong(req.getParam("everyMs", "1000"));
    req.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache");
    req.response().write("retry: 1000\n\n");
    int[] sent = {0};
    long timer = vertx.setPeriodic(Math.max(10, every), id -> {
      sent[0]++;
      req.response().write("id: " + sent[0] + "\ndata: {\"tick\":" + sent[0] + "}\n\n");
      if (sent[0] >= count) {
        vertx.cancelTimer(id);
        req.response().end();
      }
    });
    req.response().closeHandler(v -> vertx.cancelTimer(timer));
  }

  private static JsonObject headers(HttpServerRequest req) {
    JsonObject h = new JsonObject();
    req.headers().forEach(e -> h.put(e.getKey().toLowerCase(), e.getValue()));
    return h;
  }

  private static void json(HttpServerRequest req, int status, JsonObject body) {
    Buffer b = body.toBuffer();
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(b);
  }
}
