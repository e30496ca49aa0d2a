package dev.harp.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for tests; never hands out the same one twice in a JVM.
 *
 * <p>Taken below the kernel's ephemeral range (Linux: 32768-60999), never from it: a port from {@code bind(0)} is
 * free when chosen, but until the node under test binds it, any outgoing connection (Hazelcast's, an HTTP client's)
 * may get it as its source port; a CI run failed on exactly that ("admin server cannot listen ... Address already in
 * use"). Ports below the range are handed out only by us.
 */
public final class Ports {

  private static final int LOW = 15_000;
  private static final int HIGH = 32_000;
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private Ports() {
  }

  public static synchronized int free() {
    int span = HIGH - LOW;
    int start = ThreadLocalRandom.current().nextInt(span);
    for (int i = 0; i < span; i++) {
      int port = LOW + (start + i) % span;
      if (!HANDED_OUT.contains(port) && bindable(port)) {
        HANDED_OUT.add(port);
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
}
