package dev.harp.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Offers a paced load to proxies on 127.0.0.1 from a Vert.x client of its own: {@code rate} requests a second spread
 * round-robin over the ports, for {@code duration}, never more than {@code total} requests nor {@code maxInFlight} at
 * once. A timer tops up to where the schedule should be, so a late tick catches up instead of thinning the load.
 * Every request's send and completion times are kept, so a test can bound when the server decided it.
 */
final class OfferedLoad {

  /**
   * One request: its index in the run, which port, when sent and when its response ended (System.nanoTime), its
   * status and headers.
   */
  record Sample(int index, int portIndex, long sent, long done, int status, MultiMap headers) {
    boolean admitted() {
      return status == 200;
    }
  }

  private OfferedLoad() {
  }

  static Future<List<Sample>> run(Vertx vertx, List<Integer> ports, String path, IntFunction<MultiMap> headers,
                                  double rate, Duration duration, int total, int maxInFlight) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(5_000),
        new PoolOptions().setHttp1MaxSize(Math.max(1, maxInFlight / ports.size() + 1)));
    Promise<List<Sample>> done = Promise.promise();
    List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    int[] sent = {0};
    int[] inFlight = {0};
    boolean[] finished = {false};
    vertx.runOnContext(v -> vertx.setPeriodic(0, 2, id -> {
      long now = System.nanoTime();
      long due = Math.min(total, (long) Math.floor(rate * (Math.min(now, end) - start) / 1e9) + 1);
      while (sent[0] < due && inFlight[0] < maxInFlight) {
        int index = sent[0]++;
        int port = index % ports.size();
        inFlight[0]++;
        long t = System.nanoTime();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
            .setPort(ports.get(port)).setURI(path).setTimeout(30_000);
        MultiMap h = headers.apply(index);
        if (h != null) {
          options.setHeaders(h);
        }
        client.request(options)
            .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp)))
            .onComplete(ar -> {
              inFlight[0]--;
              samples.add(ar.succeeded()
                  ? new Sample(index, port, t, System.nanoTime(), ar.result().statusCode(), ar.result().headers())
                  : new Sample(index, port, t, System.nanoTime(), -1, MultiMap.caseInsensitiveMultiMap()));
            });
      }
      if ((now >= end || sent[0] >= total) && inFlight[0] == 0 && !finished[0]) {
        finished[0] = true;
        vertx.cancelTimer(id);
        client.close();
        List<Sample> all = new ArrayList<>(samples);
        all.sort((a, b) -> Long.compare(a.sent(), b.sent()));
        done.complete(all);
      }
    }));
    return done.future();
  }
}
