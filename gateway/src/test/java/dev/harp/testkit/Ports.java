package dev.harp.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for tests; never hands out the same one twice on this machine while the JVM that took it runs.
 *
 * <p>Taken below the kernel's ephemeral range (Linux: 32768-60999), never from it: a port from {@code bind(0)} is
 * free when chosen, but until the node under test binds it, any outgoing connection (Hazelcast's, an HTTP client's)
 * may get it as its source port; a CI run failed on exactly that ("admin server cannot listen ... Address already in
 * use"). Ports below the range are handed out only by us.
 *
 * <p>Each port handed out is also claimed with a file lock (in {@code java.io.tmpdir/harp-test-ports}) held until the
 * JVM exits, so two test JVMs on one machine (two builds at once) never get the same port: a test's "closed" endpoint
 * port is only closed if no other JVM binds it later. A run of five full suites failed on that once: another JVM's
 * rate-limited proxy came up on a port one test used as its dead endpoint, and answered it with a 429.
 */
public final class Ports {

  private static final int LOW = 15_000;
  private static final int HIGH = 32_000;
  private static final Path LOCKS = Path.of(System.getProperty("java.io.tmpdir"), "harp-test-ports");
  /** Held for the JVM's life: a released lock would let another JVM take the port. */
  private static final Map<Integer, FileLock> HANDED_OUT = new HashMap<>();

  private Ports() {
  }

  public static synchronized int free() {
    int span = HIGH - LOW;
    int start = ThreadLocalRandom.current().nextInt(span);
    for (int i = 0; i < span; i++) {
      int port = LOW + (start + i) % span;
      if (HANDED_OUT.containsKey(port) || !bindable(port)) {
        continue;
      }
      FileLock claim = claim(port);
      if (claim != null) {
        HANDED_OUT.put(port, claim);
        return port;
      }
    }
    throw new IllegalStateException("no free loopback port in " + LOW + "-" + HIGH);
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** This JVM's claim on {@code port} across processes, or null if another JVM holds it. */
  @SuppressWarnings("resource") // the channel stays open with its lock until the JVM exits
  private static FileLock claim(int port) {
    try {
      Files.createDirectories(LOCKS);
      FileChannel channel = FileChannel.open(LOCKS.resolve(port + ".lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
      }
      return lock;
    } catch (OverlappingFileLockException e) {
      return null;
    } catch (IOException e) {
      throw new IllegalStateException("cannot claim test port " + port + " in " + LOCKS, e);
    }
  }
}
