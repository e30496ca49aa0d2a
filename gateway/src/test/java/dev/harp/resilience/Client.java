package dev.harp.resilience;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Blocking HTTP/1.1 calls from test threads to a proxy or an admin port on loopback. */
final class Client {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private Client() {
  }

  /** Every call carries the test admin's login: harmless on a proxy port, required on the admin port. */
  private static HttpRequest.Builder to(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20))
        .header("Authorization", dev.harp.testkit.TestAdmin.basic());
  }

  static HttpResponse<String> get(int port, String path, String... headers) {
    HttpRequest.Builder b = to(port, path);
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.GET().build());
  }

  static HttpResponse<String> send(int port, String method, String path, String body) {
    return send(to(port, path)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build());
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
    }
  }

  /** The admin API's view of a proxy's endpoints on one node. */
  static JsonObject endpoints(int adminPort, String proxy) {
    HttpResponse<String> r = get(adminPort, "/api/proxies/" + proxy + "/endpoints");
    if (r.statusCode() != 200) {
      throw new AssertionError("GET endpoints: " + r.statusCode() + " " + r.body());
    }
    return new JsonObject(r.body());
  }

  static JsonObject endpoint(int adminPort, String proxy, int id) {
    return endpoints(adminPort, proxy).getJsonArray("endpoints").getJsonObject(id);
  }

  static HttpResponse<String> maintenance(int adminPort, String proxy, int id, String state) {
    String path = "/api/proxies/" + proxy + "/endpoints/" + id + "/maintenance";
    return state == null ? send(adminPort, "DELETE", path, null)
        : send(to(adminPort, path).header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(new JsonObject().put("state", state)
                .put("reason", "test").encode())).build());
  }
}
