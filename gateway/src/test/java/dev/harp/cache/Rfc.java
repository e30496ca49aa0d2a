package dev.harp.cache;

import dev.harp.node.HarpNode;
import dev.harp.testkit.Await;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One case of the RFC suite: its own path prefix on a shared node (so cases never see each other's entries), a
 * scripted origin, a client, the test clock, and assertions that name what the RFC requires.
 */
final class Rfc {

  /** A case: its title cites the RFC section it checks. */
  record Case(String title, Consumer<Rfc> body) {
    @Override
    public String toString() {
      return title;
    }
  }

  /** A response as the client got it, with assertions that return it for chaining. */
  record Resp(int status, String reason, MultiMap headers, String body) {

    Resp reason(String expected) {
      assertThat(reason).as("reason phrase").isEqualTo(expected);
      return this;
    }

    Resp status(int expected) {
      assertThat(status).as("status (body %s, headers %s)", body, headers).isEqualTo(expected);
      return this;
    }

    String cacheStatus() {
      return headers.get("cache-status");
    }

    Resp hit() {
      assertThat(cacheStatus()).as("Cache-Status").contains("harp; hit");
      return this;
    }

    Resp fwd(String reason) {
      assertThat(cacheStatus()).as("Cache-Status").contains("harp; fwd=" + reason);
      return this;
    }

    Resp stored() {
      assertThat(cacheStatus()).as("Cache-Status").contains("; stored");
      return this;
    }

    Resp notStored(String detail) {
      assertThat(cacheStatus()).as("Cache-Status").doesNotContain("; stored").contains("detail=" + detail);
      return this;
    }

    Resp cacheStatusHas(String fragment) {
      assertThat(cacheStatus()).as("Cache-Status").contains(fragment);
      return this;
    }

    Resp header(String name, String value) {
      assertThat(headers.get(name)).as("header %s", name).isEqualTo(value);
      return this;
    }

    Resp noHeader(String name) {
      assertThat(headers.get(name)).as("header %s", name).isNull();
      return this;
    }

    Resp body(String expected) {
      assertThat(body).as("body").isEqualTo(expected);
      return this;
    }

    Resp age(long seconds) {
      return header("Age", Long.toString(seconds));
    }
  }

  private final String base;
  private final Map<String, Integer> ports;
  private final Origin origin;
  private final Origin origin2;
  private final ManualClock clock;
  private final HttpClient client;
  private final HttpClient client10;
  private final HarpNode node;

  Rfc(String base, Map<String, Integer> ports, Origin origin, Origin origin2, ManualClock clock, HttpClient client,
      HttpClient client10, HarpNode node) {
    this.client10 = client10;
    this.base = base;
    this.ports = ports;
    this.origin = origin;
    this.origin2 = origin2;
    this.clock = clock;
    this.client = client;
    this.node = node;
  }

  String path(String p) {
    return base + p;
  }

  Rfc origin(String p, Origin.Script script) {
    origin.script(path(p), script);
    origin2.script(path(p), script);
    return this;
  }

  Rfc origin(String p, Origin.Reply fixed) {
    return origin(p, (req, n) -> fixed);
  }

  /** Upstream calls for a path, over both origins. */
  int calls(String p) {
    return origin.received(path(p)).size() + origin2.received(path(p)).size();
  }

  Rfc calls(String p, int expected) {
    assertThat(calls(p)).as("requests that reached the upstream for %s", p).isEqualTo(expected);
    return this;
  }

  /** Headers of the n-th (1-based) request the first origin received for a path. */
  MultiMap seen(String p, int n) {
    return origin.received(path(p)).get(n - 1).headers();
  }

  String seenMethod(String p, int n) {
    return origin.received(path(p)).get(n - 1).method();
  }

  Rfc advance(long seconds) {
    clock.advanceSeconds(seconds);
    return this;
  }

  long now() {
    return clock.millis();
  }

  Resp get(String p, String... headers) {
    return send("api", "GET", p, headers);
  }

  Resp send(String proxy, String method, String p, String... headers) {
    return send(proxy, method, p, HttpVersion.HTTP_1_1, headers);
  }

  Resp send(String proxy, String method, String p, HttpVersion version, String... headers) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(method)).setHost("127.0.0.1")
        .setPort(ports.get(proxy)).setURI(p.startsWith("/") ? path(p) : p);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      if (headers[i].equalsIgnoreCase("host")) {
        // Host is the request's authority in Vert.x: connect to the proxy, name another host.
        options.setServer(io.vertx.core.net.SocketAddress.inetSocketAddress(ports.get(proxy), "127.0.0.1"))
            .setHost(headers[i + 1]).setPort(80);
      }
    }
    HttpClient c = version == HttpVersion.HTTP_1_0 ? client10 : client;
    Resp resp = Await.result(c.request(options).compose(req -> {
      for (int i = 0; i + 1 < headers.length; i += 2) {
        if (!headers[i].equalsIgnoreCase("host")) {
          req.headers().add(headers[i], headers[i + 1]);
        }
      }
      return req.send().compose(r -> r.body().map(b -> new Resp(r.statusCode(), r.statusMessage(),
          MultiMap.caseInsensitiveMultiMap().addAll(r.headers()), b.toString())));
    }), Duration.ofSeconds(30));
    awaitCacheWrites();
    return resp;
  }

  /** Waits until no store, removal or background revalidation is in progress on the node. */
  void awaitCacheWrites() {
    Await.until("cache writes finished", Duration.ofSeconds(20), () -> node.metrics().registry()
        .find("harp_cache_writes_pending").gauges().stream().mapToDouble(Gauge::value).sum() == 0);
  }

  static String date(long epochMillis) {
    return HttpDates.format(epochMillis);
  }
}
