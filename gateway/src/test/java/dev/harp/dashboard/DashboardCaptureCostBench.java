package dev.harp.dashboard;

import dev.harp.capture.HeaderCopy;
import dev.harp.capture.CaptureSettings;
import dev.harp.capture.PreviewTap;
import dev.harp.dashboard.ExchangeCapture.Captured;
import dev.harp.engine.CompletedExchange;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.Set;

/**
 * The measurements behind docs/dashboard.md's cost table, not a regression test: run with {@code -Dharp.bench=true}.
 * What capture adds on a proxy's event loop (copying both heads of an admitted exchange; the preview tee of an
 * exchange with previews on) and what building a stored transaction costs on the observers' loop.
 */
@EnabledIfSystemProperty(named = "harp.bench", matches = "true")
class DashboardCaptureCostBench {

  /** Thread CPU time, not wall time: the machine is shared, and waiting for a core is not capture's cost. */
  private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

  @Test
  void captureCost() {
    MultiMap request = HttpHeaders.headers().add("Host", "api.example.com").add("User-Agent", "curl/8.5.0")
        .add("Accept", "application/json").add("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc")
        .add("X-Request-Id", "0123456789abcdef0123456789abcdef").add("Accept-Encoding", "gzip")
        .add("Cookie", "sid=abcdef0123456789; theme=dark").add("Content-Type", "application/json")
        .add("Content-Length", "512").add("X-Forwarded-For", "10.0.0.1");
    MultiMap response = HttpHeaders.headers().add("Content-Type", "application/json").add("Content-Length", "1024")
        .add("Date", "Mon, 01 Jan 2024 00:00:00 GMT").add("Cache-Control", "no-store")
        .add("X-Request-Id", "0123456789abcdef0123456789abcdef").add("Via", "1.1 harp");
    Buffer chunk = Buffer.buffer(new byte[2048]);
    CaptureSettings settings = new CaptureSettings(1024, Set.of(), Set.of());
    ExchangeCapture capture = new ExchangeCapture(java.util.Map.of("api", settings),
        new TransactionStore(5000, 600_000, System::currentTimeMillis));
    CompletedExchange done = new CompletedExchange("api", "0123456789abcdef0123456789abcdef", "POST", "/orders", 200,
        null, "http://127.0.0.1:8080", System.currentTimeMillis(), 1_234_567, 1_000_000, 512, 16384, "127.0.0.1",
        false);
    JsonObject event = new JsonObject().put("node", "n").put("proxy", "api").put("ts", System.currentTimeMillis());
    long sink = 0;
    for (int round = 0; round < 3; round++) {
      int n = 2_000_000;
      long t = CPU.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        sink += HeaderCopy.of(request).length + HeaderCopy.of(response).length;
      }
      double heads = (CPU.getCurrentThreadCpuTime() - t) / (double) n;
      t = CPU.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        PreviewTap tap = new PreviewTap(1024);
        tap.onRequestChunk(chunk);
        for (int c = 0; c < 8; c++) {
          tap.onResponseChunk(chunk); // a 16 KiB response in 2 KiB chunks
        }
        sink += tap.responsePreview().kept();
      }
      double tee = (CPU.getCurrentThreadCpuTime() - t) / (double) n;
      PreviewTap tap = new PreviewTap(1024);
      tap.onRequestChunk(Buffer.buffer("{\"user\":\"ann\",\"password\":\"hunter2\"}"));
      tap.onResponseChunk(Buffer.buffer("{\"id\":42,\"items\":[1,2,3],\"name\":\"item-42\"}".repeat(20)));
      PreviewTap plain = new PreviewTap(1024);
      plain.onResponseChunk(Buffer.buffer("{\"id\":42,\"items\":[1,2,3],\"name\":\"item-42\"}".repeat(20)));
      Captured p = new Captured(HeaderCopy.of(request), HeaderCopy.of(response), null,
          plain.responsePreview(), null, "http/1.1", null);
      Captured c = new Captured(HeaderCopy.of(request), HeaderCopy.of(response), tap.requestPreview(),
          tap.responsePreview(), "page=2&key=x", "http/1.1", null);
      int m = 50_000;
      t = CPU.getCurrentThreadCpuTime();
      for (int i = 0; i < m; i++) {
        capture.published(done, event, c);
      }
      double build = (CPU.getCurrentThreadCpuTime() - t) / (double) m;
      t = CPU.getCurrentThreadCpuTime();
      for (int i = 0; i < m; i++) {
        capture.published(done, event, p);
      }
      double buildPlain = (CPU.getCurrentThreadCpuTime() - t) / (double) m;
      System.out.printf("capture: heads copy %.0f ns/exchange, preview tee (cap 1 KiB, 1+8 chunks of 2 KiB) %.0f ns, "
          + "stored transaction built (observers' loop): 1 KiB response preview naming no sensitive field %.1f µs, "
          + "with a password in the request preview %.1f µs%n", heads, tee, buildPlain / 1000, build / 1000);
    }
    System.out.println(sink == 42 ? "" : " ");
  }
}
