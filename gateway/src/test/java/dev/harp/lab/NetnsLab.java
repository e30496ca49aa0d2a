package dev.harp.lab;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The network-namespace lab of {@code ansible/lab/lab.sh} seen from a test: three hosts n1..n3 deployed by the real
 * playbooks over SSH from the client namespace, a VIP, and ways to crash, freeze and restart what runs on a host.
 * Every command is bounded in time; {@link #down} removes everything and fails if anything is left.
 */
final class NetnsLab implements AutoCloseable {

  static final List<String> NODES = List.of("n1", "n2", "n3");
  static final String VIP = "10.213.0.10";
  static final int PROXY_PORT = 8080;
  static final int ADMIN_PORT = 4080;

  private static final Pattern RECAP = Pattern.compile(
      "^(\\S+)\\s*:\\s*ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)", Pattern.MULTILINE);

  final String id;
  final Path repo;
  final Path root;
  final Path logs;
  private final Path script;
  private boolean down;
  private int plays;

  private NetnsLab(String id, Path repo, Path logs) {
    this.id = id;
    this.repo = repo;
    this.root = Path.of("/var/lib/harp-lab", id);
    this.logs = logs;
    this.script = repo.resolve("ansible/lab/lab.sh");
  }

  static NetnsLab up(Path repo, Path logs) throws IOException {
    String id = Long.toString(ProcessHandle.current().pid() % 100_000, 36)
        + Long.toString(Math.floorMod(System.nanoTime(), 1296L), 36);
    NetnsLab lab = new NetnsLab(id, repo, logs.resolve(id));
    Files.createDirectories(lab.logs);
    // A killed build must not leave namespaces behind: the next lab.sh up reaps labs whose owner is gone, and
    // this hook covers an orderly JVM exit that skipped @AfterAll.
    Runtime.getRuntime().addShutdownHook(new Thread(lab::downQuietly, "netns-lab-teardown"));
    lab.run(Duration.ofSeconds(60), "up", lab.id);
    return lab;
  }

  /** Result of one ansible-playbook run: the exit code, changed tasks per host, the log. */
  record Play(int exit, Map<String, Integer> changed, Map<String, Integer> failed, Path log, Duration took) {

    boolean ok() {
      return exit == 0 && failed.values().stream().allMatch(f -> f == 0) && changed.size() == NODES.size();
    }
  }

  Play play(String playbook, String... extra) throws IOException {
    Path log = logs.resolve(String.format("play-%02d-%s.log", ++plays, playbook.replace(".yml", "")));
    List<String> cmd = new ArrayList<>(List.of(script.toString(), "play", id, playbook));
    cmd.addAll(List.of(extra));
    long begin = System.nanoTime();
    int exit = exec(cmd, log, Duration.ofMinutes(10));
    String out = Files.readString(log);
    Map<String, Integer> changed = new LinkedHashMap<>();
    Map<String, Integer> failed = new LinkedHashMap<>();
    Matcher m = RECAP.matcher(out);
    while (m.find()) {
      changed.put(m.group(1), Integer.parseInt(m.group(3)));
      failed.put(m.group(1), Integer.parseInt(m.group(4)) + Integer.parseInt(m.group(5)));
    }
    return new Play(exit, changed, failed, log, Duration.ofNanos(System.nanoTime() - begin));
  }

  /** An HTTP answer from inside a namespace: status, headers (names lower-cased, last value wins), body. */
  record Reply(int status, Map<String, String> headers, String body) {

    String header(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }
  }

  /** GET from a namespace (the client's: through the VIP) with curl; headers as "Name: value". */
  Reply get(String ns, String url, String... headers) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-m", "10", "-D", "-"));
    for (String h : headers) {
      cmd.addAll(List.of("-H", h));
    }
    cmd.add(url);
    String out = on(ns, cmd.toArray(String[]::new));
    int split = out.indexOf("\r\n\r\n");
    if (split < 0) {
      throw new IOException("no HTTP answer from " + url + ": " + out);
    }
    List<String> head = out.substring(0, split).lines().toList();
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : head.subList(1, head.size())) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
    }
    return new Reply(Integer.parseInt(head.get(0).split(" ")[1]), fields, out.substring(split + 4));
  }

  /** Every lab namespace exists and none has a default route (lab.sh check); called before sending traffic. */
  void checkIsolated() throws IOException {
    run(Duration.ofSeconds(30), "check", id);
  }

  /** Runs a command inside a namespace (n1..n3, cl) and returns its stdout; fails on a non-zero exit. */
  String on(String ns, String... cmd) throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace(ns)));
    full.addAll(List.of(cmd));
    Path out = Files.createTempFile(logs, "cmd", ".out");
    try {
      int exit = exec(full, out, Duration.ofSeconds(30));
      String text = Files.readString(out);
      if (exit != 0) {
        throw new IOException(String.join(" ", full) + " exited " + exit + ": " + text);
      }
      return text;
    } finally {
      Files.deleteIfExists(out);
    }
  }

  String namespace(String ns) {
    return "harplab-" + id + "-" + ns;
  }

  Path hostRoot(String node) {
    return root.resolve("hosts").resolve(node);
  }

  /** The node whose eth0 holds the VIP, or null. */
  String vipHolder() throws IOException {
    String found = null;
    for (String n : NODES) {
      if (on(n, "ip", "-o", "-4", "addr", "show", "dev", "eth0").contains(" " + VIP + "/")) {
        if (found != null) {
          throw new IllegalStateException("the VIP is on both " + found + " and " + n);
        }
        found = n;
      }
    }
    return found;
  }

  boolean holdsVip(String node) throws IOException {
    return on(node, "ip", "-o", "-4", "addr", "show", "dev", "eth0").contains(" " + VIP + "/");
  }

  /** GET /health/ready on a node's admin port (loopback of its namespace); an unanswered check is not ready. */
  JsonObject ready(String node) {
    try {
      String body = on(node, "curl", "-s", "-m", "2", "http://127.0.0.1:" + ADMIN_PORT + "/health/ready");
      return body.isBlank() ? new JsonObject().put("ready", false) : new JsonObject(body);
    } catch (Exception e) {
      return new JsonObject().put("ready", false).put("error", e.getMessage());
    }
  }

  /** The node's VIP role as its HARP knows it (GET /api/cluster/vip). */
  String harpVipRole(String node) throws IOException {
    // The admin API wants a login: the notify script's token, as keepalived's scripts send it.
    String token = Files.readString(hostRoot(node).resolve("etc/harp/notify.token")).trim();
    return new JsonObject(on(node, "curl", "-s", "-m", "2", "-H", "Authorization: Bearer " + token,
        "http://127.0.0.1:" + ADMIN_PORT + "/api/cluster/vip")).getString("state");
  }

  /** The state keepalived last reported through the notify script. */
  String keepalivedState(String node) throws IOException {
    Path file = hostRoot(node).resolve("var/lib/harp/vip-state");
    return Files.exists(file) ? Files.readString(file).trim() : "";
  }

  long harpPid(String node) throws IOException {
    return pid(hostRoot(node).resolve("run/harp/harp.pid"));
  }

  /** keepalived's main process (the service's pid) and its children (the VRRP process). */
  List<Long> keepalivedPids(String node) throws IOException {
    long main = pid(hostRoot(node).resolve("run/harp-keepalived/keepalived.pid"));
    List<Long> pids = new ArrayList<>(List.of(main));
    ProcessHandle.of(main).ifPresent(p -> p.children().forEach(c -> pids.add(c.pid())));
    return pids;
  }

  static void signal(String signal, List<Long> pids) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
    pids.forEach(p -> cmd.add(Long.toString(p)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(cmd + " failed: " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** The lab's stand-in for the host's init: the same harp-svc command the roles use without systemd. */
  String service(String node, String action, String service) throws IOException {
    return on(node, hostRoot(node).resolve("opt/harp/libexec/harp-svc").toString(), action, service);
  }

  static void await(String what, Duration timeout, CheckedCondition condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
      }
      Thread.sleep(50);
    }
  }

  /** A condition that may run commands. */
  interface CheckedCondition {
    boolean holds() throws Exception;
  }

  /** Kills every process of the lab's namespaces, deletes them and its files; fails if anything is left. */
  synchronized void down() throws IOException {
    if (down) {
      return;
    }
    down = true;
    Path log = logs.resolve("down.log");
    int exit = exec(List.of(script.toString(), "down", id, logs.resolve("hosts").toString()), log, Duration.ofMinutes(2));
    String out = Files.readString(log);
    if (exit != 0 || !out.contains("lab: down:") || Files.exists(root)) {
      throw new AssertionError("lab teardown left something behind (exit " + exit + "):\n" + out);
    }
  }

  @Override
  public void close() throws IOException {
    down();
  }

  private void downQuietly() {
    try {
      down();
    } catch (Throwable t) {
      System.err.println("netns lab " + id + ": teardown at exit failed: " + t);
    }
  }

  private void run(Duration timeout, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(script.toString()));
    cmd.addAll(List.of(args));
    Path log = logs.resolve(args[0] + ".log");
    int exit = exec(cmd, log, timeout);
    if (exit != 0) {
      throw new IOException(String.join(" ", cmd) + " exited " + exit + ":\n" + Files.readString(log));
    }
  }

  private int exec(List<String> cmd, Path log, Duration timeout) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("LAB_OWNER_PID", Long.toString(ProcessHandle.current().pid()));
    pb.environment().put("PYTHONUNBUFFERED", "1");
    Process p = pb.start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        throw new IOException(String.join(" ", cmd) + " did not finish within " + timeout.toSeconds() + " s");
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new IOException("interrupted: " + cmd, e);
    }
  }

  private static long pid(Path file) throws IOException {
    return Long.parseLong(Files.readString(file).trim());
  }
}
