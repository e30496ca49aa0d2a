package dev.harp.lab;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * {@code ansible/lab/load.py} in the client namespace: workers sending idempotent GETs to the VIP (fresh connection
 * each, 2 s timeout, one retry) and probes (one started every 20 ms, 0.5 s timeout, never retried) that time the
 * failover.
 * Bounded by a stop file and a hard duration.
 */
final class LabLoad implements AutoCloseable {

  /** One request or probe: wall-clock start/end in ms, whether it got a 200, and which node served it. */
  record Sample(boolean probe, long start, long end, boolean ok, String node, int tries, String error) {
  }

  private final Process process;
  private final Path out;
  private final Path stop;
  private List<Sample> samples;

  private LabLoad(Process process, Path out, Path stop) {
    this.process = process;
    this.out = out;
    this.stop = stop;
  }

  static LabLoad start(NetnsLab lab, String name, int maxSeconds) throws IOException {
    lab.checkIsolated();
    Path out = lab.logs.resolve("load-" + name + ".jsonl");
    Path stop = lab.logs.resolve("load-" + name + ".stop");
    Files.deleteIfExists(stop);
    Process p = new ProcessBuilder("ip", "netns", "exec", lab.namespace("cl"), "/usr/bin/python3",
        lab.repo.resolve("ansible/lab/load.py").toString(), "--host", NetnsLab.VIP,
        "--port", Integer.toString(NetnsLab.PROXY_PORT), "--path", "/node.txt", "--workers", "4", "--pause", "0.05",
        "--timeout", "2.0", "--probe-interval", "0.02", "--probe-timeout", "0.5",
        "--duration", Integer.toString(maxSeconds), "--stop-file", stop.toString(), "--out", out.toString())
        .redirectErrorStream(true).redirectOutput(lab.logs.resolve("load-" + name + ".summary").toFile()).start();
    return new LabLoad(p, out, stop);
  }

  /** Stops the load (stop file, then at most 10 s), reads every sample. */
  List<Sample> stop() throws IOException, InterruptedException {
    if (samples != null) {
      return samples;
    }
    Files.writeString(stop, "stop");
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
    samples = Files.readAllLines(out).stream().filter(l -> !l.isBlank()).map(JsonObject::new)
        .map(j -> new Sample("probe".equals(j.getString("kind")), ms(j.getDouble("start")), ms(j.getDouble("end")),
            j.getBoolean("ok"), j.getString("node"), j.getInteger("tries", 1), j.getString("error")))
        .toList();
    return samples;
  }

  List<Sample> requests() {
    return samples.stream().filter(s -> !s.probe()).toList();
  }

  long failed() {
    return requests().stream().filter(s -> !s.ok()).count();
  }

  long retried() {
    return requests().stream().filter(s -> s.tries() > 1).count();
  }

  long succeeded() {
    return requests().stream().filter(Sample::ok).count();
  }

  /** When (ms, wall clock) a probe first got an answer from a node other than {@code not}, after {@code after}. */
  OptionalLong firstAnswerAfter(long after, String not) {
    return samples.stream().filter(s -> s.probe() && s.ok() && s.start() >= after && !Objects.equals(s.node(), not))
        .mapToLong(Sample::end).min();
  }

  String summary() {
    return "%d requests, %d failed, %d needed their retry".formatted(requests().size(), failed(), retried());
  }

  List<String> failures() {
    return requests().stream().filter(s -> !s.ok()).map(s -> s.start() + ": " + s.error()).toList();
  }

  @Override
  public void close() throws Exception {
    stop();
  }

  private static long ms(double seconds) {
    return Math.round(seconds * 1000);
  }
}
