package dev.harp.demo;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The demo's sample load, so its dashboard is alive from the first second: a few requests a second, spread over the
 * nodes' proxy ports on 127.0.0.1 only, mixing fast reads, slow calls, a 404 and an authenticated POST (whose
 * Authorization header and password field the dashboard shows redacted). Bounded: at most {@link #MAX_IN_FLIGHT}
 * requests at a time, a tick is skipped rather than queued, and it stops with the demo.
 */
final class DemoLoad {

  static final int MAX_IN_FLIGHT = 4;

  private final Vertx vertx;
  private final List<Integer> proxyPorts;
  private final HttpClient client;
  private long timer = -1;
  private int inFlight;
  private long sent;

  DemoLoad(Vertx vertx, List<Integer> proxyPorts) {
    this.vertx = vertx;
    this.proxyPorts = List.copyOf(proxyPorts);
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(2_000));
  }

  /** @param perSecond 0 sends nothing */
  void start(int perSecond) {
    if (perSecond > 0) {
      timer = vertx.setPeriodic(Math.max(20, 1000 / perSecond), id -> tick());
    }
  }

  void stop() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    client.close();
  }

  private void tick() {
    if (inFlight >= MAX_IN_FLIGHT) {
      return;
    }
    ThreadLocalRandom r = ThreadLocalRandom.current();
    int port = proxyPorts.get((int) (sent++ % proxyPorts.size()));
    int pick = r.nextInt(100);
    RequestOptions req = new RequestOptions().setHost("127.0.0.1").setPort(port).setTimeout(10_000);
    Buffer body = null;
    if (pick < 45) {
      req.setURI("/items");
    } else if (pick < 70) {
      req.setURI("/items/" + (1 + r.nextInt(40)) + "?expand=true&session=demo-session-" + r.nextInt(1000));
    } else if (pick < 82) {
      req.setURI("/slow?ms=" + (20 + r.nextInt(250)));
    } else if (pick < 90) {
      req.setURI("/no-such-thing");
    } else {
      req.setMethod(HttpMethod.POST).setURI("/echo").putHeader("Authorization", "Bearer demo-secret-token-123")
          .putHeader("Content-Type", "application/json");
      body = Buffer.buffer("{\"user\":\"demo\",\"password\":\"hunter2\",\"note\":\"redacted on the dashboard\"}");
    }
    Buffer payload = body;
    inFlight++;
    client.request(req)
        .compose(request -> (payload == null ? request.send() : request.send(payload))
            .compose(response -> response.body()))
        .onComplete(ar -> inFlight--);
  }
}
