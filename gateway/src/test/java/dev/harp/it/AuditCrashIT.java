package dev.harp.it;

import dev.harp.audit.tlog.BundleVerifier;
import dev.harp.testkit.Ports;
import dev.harp.testkit.TestAdmin;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kill -9 of a node under load, then a restart on the same data directory: the log resumes consistent with its last
 * final checkpoint (the store checks it on open; the export's consistency proof spans the crash), and every
 * transaction acknowledged more than the commit window before the kill is in the store. The packaged jar, as a user
 * runs it.
 */
class AuditCrashIT {

  private static final Path LAUNCHER = Path.of("..", "bin", "harp").toAbsolutePath().normalize();
  private static final Path JAR = Path.of("target", "harp.jar").toAbsolutePath();
  /** A transaction acknowledged this long before the kill must have been committed (commitWindow is 50 ms). */
  private static final long SAFE_MS = 1_000;

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void aKilledNodesLogResumesAndKeepsWhatItAcknowledged() throws Exception {
    try (TestUpstream upstream = TestUpstream.start()) {
      int proxyPort = Ports.free();
      int adminPort = Ports.free();
      Path config = Files.writeString(dir.resolve("harp.yaml"), """
          node: {name: crash-node, drainTimeout: 2s, eventLoops: 1}
          admin: {bind: 127.0.0.1, port: %d, users: [%s]}
          audit: {dataDir: '%s', quorum: 1, checkpointInterval: 200ms, commitWindow: 50ms}
          proxies:
            - name: api
              bind: 127.0.0.1
              port: %d
              upstream: {endpoints: ['%s']}
          """.formatted(adminPort, TestAdmin.USER_YAML, dir.resolve("data"), proxyPort, upstream.url()));

      Path firstLog = dir.resolve("first.log");
      Process first = start(config, firstLog);
      Map<String, Long> acknowledged = new ConcurrentHashMap<>();
      long killedAt;
      try {
        awaitReady(first, firstLog);
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch enough = new CountDownLatch(1_500);
        Thread[] load = new Thread[4];
        for (int t = 0; t < load.length; t++) {
          int id = t;
          load[t] = new Thread(() -> {
            // Bounded: at most 5000 requests per thread, and it stops at the kill.
            for (int i = 0; i < 5_000 && !stop.get(); i++) {
              try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxyPort
                    + "/load/" + id + "/" + i)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                  acknowledged.put(r.headers().firstValue("X-Request-Id").orElseThrow(), System.currentTimeMillis());
                  enough.countDown();
                }
              } catch (Exception e) {
                return; // the node is gone
              }
            }
          });
          load[t].start();
        }
        assertThat(enough.await(120, TimeUnit.SECONDS)).as("1500 requests served before the kill").isTrue();
        killedAt = System.currentTimeMillis();
        first.destroyForcibly(); // SIGKILL: no drain, no last checkpoint, no close
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        stop.set(true);
        for (Thread t : load) {
          t.join(10_000);
        }
      } finally {
        first.destroyForcibly();
      }

      Path secondLog = dir.resolve("second.log");
      Process second = start(config, secondLog);
      try {
        awaitReady(second, secondLog);
        JsonObject status = admin(adminPort, "/api/audit");
        long size = status.getLong("size");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
          JsonObject fin = admin(adminPort, "/api/audit").getJsonObject("final");
          if (fin != null && fin.getLong("size") >= size) {
            break;
          }
          Thread.sleep(100); // polling an HTTP status: no event to wait on from outside the process
        }
        JsonObject bundle = admin(adminPort, "/api/audit/export");
        Set<String> stored = new HashSet<>();
        JsonArray records = bundle.getJsonArray("records");
        for (int i = 0; i < records.size(); i++) {
          stored.add(new JsonObject(records.getJsonObject(i).getString("record")).getString("requestId"));
        }
        long safe = acknowledged.entrySet().stream().filter(e -> e.getValue() < killedAt - SAFE_MS).count();
        List<String> lost = acknowledged.entrySet().stream().filter(e -> e.getValue() < killedAt - SAFE_MS)
            .map(Map.Entry::getKey).filter(id -> !stored.contains(id)).toList();
        long lostInWindow = acknowledged.keySet().stream().filter(id -> !stored.contains(id)).count();
        System.out.printf("audit crash: %d acknowledged, %d of them > %d ms before the kill; stored %d; "
            + "missing: %d in all, %d of the safe ones%n", acknowledged.size(), safe, SAFE_MS, stored.size(),
            lostInWindow, lost.size());
        assertThat(safe).as("some traffic well before the kill").isPositive();
        assertThat(lost).as("acknowledged well before the kill, so committed, so kept").isEmpty();

        String keys = adminText(adminPort, "/api/audit/keys");
        BundleVerifier.Result verified = BundleVerifier.verify(bundle.encode(), keys);
        assertThat(verified.ok()).as(verified.message()).isTrue();
        assertThat(bundle.getJsonArray("checkpoints").size()).as("a checkpoint from before the kill and one after, "
            + "linked by a consistency proof").isGreaterThanOrEqualTo(1);
      } finally {
        second.toHandle().destroy();
        second.waitFor(30, TimeUnit.SECONDS);
        second.destroyForcibly();
      }
    }
  }

  private Process start(Path config, Path log) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "run", "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("HARP_JAR", JAR.toString());
    pb.environment().put("HARP_JAVA_OPTS", "-Xmx256m");
    return pb.start();
  }

  private static void awaitReady(Process p, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      assertThat(p.isAlive()).as("the node is running: %s", Files.exists(log) ? Files.readString(log) : "").isTrue();
      if (Files.exists(log) && Files.readString(log).contains("ready to serve")) {
        return;
      }
      Thread.sleep(100); // another process's log file: no event to wait on
    }
    throw new AssertionError("not ready within 60 s: " + Files.readString(log));
  }

  private JsonObject admin(int port, String path) throws Exception {
    return new JsonObject(adminText(port, path));
  }

  private String adminText(int port, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", TestAdmin.basic()).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
    return r.body();
  }
}
