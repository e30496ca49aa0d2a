package dev.harp.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upstream sends a response head and dies before a byte of its body: the client gets a 502 problem, and nothing
 * of the dead response's head goes with it. Its Set-Cookie, ETag and Cache-Control would describe a body the client
 * never got, and a cache in front of HARP could keep the problem under them.
 */
class BrokenResponseHeadTest extends ProxyTestBase {

  private ServerSocket dying;

  @AfterEach
  void closeUpstream() throws IOException {
    if (dying != null) {
      dying.close();
    }
  }

  /** Answers each connection with a head promising 100 bytes, then closes it: one thread, bounded by the test. */
  private String headThenDeath() throws IOException {
    dying = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    Thread t = new Thread(() -> {
      while (!dying.isClosed()) {
        try (Socket s = dying.accept()) {
          readHead(s.getInputStream());
          OutputStream out = s.getOutputStream();
          out.write(("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nSet-Cookie: sid=abc\r\nETag: \"v1\"\r\n"
              + "Cache-Control: max-age=60\r\nX-Upstream: yes\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } catch (IOException e) {
          return; // closed by the test
        }
      }
    }, "dying-upstream");
    t.setDaemon(true);
    t.start();
    return "http://127.0.0.1:" + dying.getLocalPort();
  }

  private static void readHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return;
      }
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  @Test
  void aResponseThatDiesAfterItsHeadIsA502WithoutThatHead() throws Exception {
    startProxy(headThenDeath(), "");

    HttpResponse<String> r = get("/doc");

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(r.body()).contains("upstream-closed");
    assertThat(r.headers().map().keySet()).map(String::toLowerCase)
        .doesNotContain("set-cookie", "etag", "cache-control", "x-upstream");
    assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
    assertThat(r.headers().firstValue("Via")).hasValue("1.1 harp");
  }
}
