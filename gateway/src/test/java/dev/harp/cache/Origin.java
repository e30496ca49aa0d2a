package dev.harp.cache;

import dev.harp.testkit.TestUpstream;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scriptable origin on a real loopback server: per path, a function of (request, call number) gives the reply.
 * Records what each path received, so tests assert exactly how many requests reached the upstream and with which
 * headers. Adds a Date from the test clock unless the reply sets one.
 */
final class Origin implements AutoCloseable {

  /** A scripted reply; {@code abort} closes the connection after the head and half the body. */
  record Reply(int status, List<String> headers, String body, boolean abort, boolean noDate) {

    Reply header(String name, String value) {
      List<String> h = new ArrayList<>(headers);
      h.add(name);
      h.add(value);
      return new Reply(status, List.copyOf(h), body, abort, noDate);
    }

    Reply aborting() {
      return new Reply(status, headers, body, true, noDate);
    }

    Reply withoutDate() {
      return new Reply(status, headers, body, abort, true);
    }
  }

  @FunctionalInterface
  interface Script {
    /** The reply to the {@code call}-th request (1-based) for the path; null if the script handled it itself. */
    Reply reply(HttpServerRequest request, int call);
  }

  record Received(String method, String uri, MultiMap headers) {
  }

  final TestUpstream server;
  private final Clock clock;
  private final Map<String, Script> scripts = new ConcurrentHashMap<>();
  private final Map<String, List<Received>> received = new ConcurrentHashMap<>();

  Origin(Clock clock) {
    this.clock = clock;
    this.server = TestUpstream.start().handler(this::handle);
  }

  static Reply reply(int status, String body, String... headerPairs) {
    return new Reply(status, List.of(headerPairs), body, false, false);
  }

  void script(String path, Script script) {
    scripts.put(path, script);
  }

  List<Received> received(String path) {
    return received.getOrDefault(path, Collections.emptyList());
  }

  String url() {
    return server.url();
  }

  private void handle(HttpServerRequest req) {
    String path = req.path();
    List<Received> log = received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>());
    log.add(new Received(req.method().name(), req.uri(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers())));
    Script script = scripts.get(path);
    if (script == null) {
      req.response().setStatusCode(404).end("no script for " + path);
      return;
    }
    Reply r = script.reply(req, log.size());
    if (r == null) {
      return; // the script answered (or dropped) the request itself
    }
    var resp = req.response().setStatusCode(r.status());
    for (int i = 0; i + 1 < r.headers().size(); i += 2) {
      resp.headers().add(r.headers().get(i), r.headers().get(i + 1));
    }
    if (!r.noDate() && !resp.headers().contains("date")) {
      resp.putHeader("Date", HttpDates.format(clock.millis()));
    }
    String body = r.body() == null ? "" : r.body();
    if (r.abort()) {
      resp.putHeader("Content-Length", Integer.toString(body.length() + 100));
      resp.write(body).onComplete(x -> req.connection().close());
      return;
    }
    if (resp.headers().contains("transfer-encoding")) {
      resp.headers().remove("transfer-encoding");
      resp.setChunked(true);
      int half = body.length() / 2;
      resp.write(body.substring(0, half));
      resp.end(body.substring(half));
      return;
    }
    resp.end(body);
  }

  @Override
  public void close() {
    server.close();
  }
}
