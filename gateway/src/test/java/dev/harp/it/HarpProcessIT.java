package dev.harp.it;

import dev.harp.testkit.Ports;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged jar, started through bin/harp as a user would: start, serve, log JSON, drain on SIGTERM, exit. */
class HarpProcessIT {

  private static final Path LAUNCHER = Path.of("..", "bin", "harp").toAbsolutePath().normalize();
  private static final Path JAR = Path.of("target", "harp.jar").toAbsolutePath();

  @TempDir
  Path dir;

  private Process start(Path config, String... extra) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(LAUNCHER.toString(), "run", "--config", config.toString()));
    cmd.addAll(List.of(extra));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("HARP_JAR", JAR.toString());
    pb.environment().put("HARP_JAVA_OPTS", "-Xmx256m");
    return pb.start();
  }

  @Test
  void runsServesLogsJsonAndDrainsOnSigterm() throws Exception {
    try (TestUpstream upstream = TestUpstream.start()) {
      int proxyPort = Ports.free();
      int adminPort = Ports.free();
      Path config = Files.writeString(dir.resolve("harp.yaml"), """
          node: {name: it-node, drainTimeout: 5s, eventLoops: 1}
          admin: {bind: 127.0.0.1, port: %d}
          proxies:
            - name: api
              bind: 127.0.0.1
              port: %d
              upstream: {endpoints: ['%s']}
          """.formatted(adminPort, proxyPort, upstream.url()));
      Process harp = start(config, "--log-format", "json");
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      List<String> all = new CopyOnWriteArrayList<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(harp.getInputStream(),
            StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            lines.add(line);
            all.add(line);
          }
        } catch (Exception ignored) {
          // process ended
        }
      });
      reader.start();
      try {
        String ready = awaitLine(lines, "ready to serve", 60);
        JsonObject readyJson = new JsonObject(ready);
        assertThat(readyJson.getString("level")).isEqualTo("INFO");
        assertThat(readyJson.getString("loggerName")).isEqualTo("dev.harp.node.HarpNode");

        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + proxyPort + "/hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(upstream.seen()).hasSize(1);

        // SIGTERM through the handle: Process.destroy() would also close our end of its stdout and lose the drain log.
        harp.toHandle().destroy();
        assertThat(harp.waitFor(30, TimeUnit.SECONDS)).as("exits after draining").isTrue();
        reader.join(5_000);
        assertThat(all).as("process output:\n%s", String.join("\n", all))
            .anyMatch(l -> l.contains("stopped and left the cluster"));
        // Every line is one JSON object, Hazelcast's and Vert.x's included (the launcher's own echo aside).
        assertThat(all.stream().filter(l -> l.startsWith("{"))).allSatisfy(l -> new JsonObject(l));
        assertThat(harp.exitValue()).as("JVM exit status after SIGTERM").isEqualTo(143);
      } finally {
        harp.destroyForcibly();
      }
    }
  }

  @Test
  void refusesToStartOnAnInvalidConfigNamingEveryProblem() throws Exception {
    Path config = Files.writeString(dir.resolve("bad.yaml"), """
        proxies:
          - {name: api, port: 99999, upstream: {endpoints: ['ftp://x']}}
        """);
    Process harp = start(config);
    String out = new String(harp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(harp.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(harp.exitValue()).isEqualTo(2);
    assertThat(out).contains("proxies[0].port: must be between 0 and 65535, got 99999")
        .contains("proxies[0].upstream.endpoints[0]: 'ftp://x' must start with http:// or https://");
  }

  private static String awaitLine(BlockingQueue<String> lines, String marker, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      String line = lines.poll(500, TimeUnit.MILLISECONDS);
      if (line != null && line.contains(marker)) {
        return line;
      }
    }
    throw new AssertionError("no line containing '" + marker + "' within " + seconds + " s");
  }
}
