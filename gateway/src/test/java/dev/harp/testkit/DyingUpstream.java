package dev.harp.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 upstream on a raw loopback socket that can die the way a killed process looks to a proxy whose pool
 * holds its keep-alive connections: after {@link #kill()} its port refuses connections, and every request that still
 * arrives on a connection accepted before is met with a close, unanswered: a FIN, or with {@link Close#RESET} a RST
 * (what the kernel answers for a socket of a process that is gone). Both are what a pool sees when a request goes
 * out on a connection whose upstream died just before. Deterministic where killing a Vert.x server is not (it
 * closes its connections, and the pool may or may not notice before the next request).
 *
 * <p>Answers bodiless requests only ({@code GET}), with its name as the body. {@link #holdUntilConnections} makes it
 * hold its answers until that many connections are open, so a test can give the proxy several pooled connections.
 */
public final class DyingUpstream implements AutoCloseable {

  /** How a request on an old connection is met after the kill. */
  public enum Close { FIN, RESET }

  private final String name;
  private final Close close;
  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger answered = new AtomicInteger();
  private final AtomicInteger refusedAfterKill = new AtomicInteger();
  private volatile boolean dead;
  private volatile CountDownLatch hold = new CountDownLatch(0);

  public DyingUpstream(String name, Close close) throws IOException {
    this.name = name;
    this.close = close;
    this.server = new ServerSocket(Ports.free(), 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "dying-upstream-" + name);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** Holds every answer until {@code connections} connections were accepted (10 s at most). */
  public DyingUpstream holdUntilConnections(int connections) {
    hold = new CountDownLatch(connections);
    return this;
  }

  /** Requests answered, all connections together. */
  public int answered() {
    return answered.get();
  }

  /** Requests that arrived on an old connection after the kill, and were met with a close. */
  public int refusedAfterKill() {
    return refusedAfterKill.get();
  }

  public int connectionsAccepted() {
    return sockets.size();
  }

  /** Stops listening (new connections are refused); connections accepted before stay open, silently. */
  public void kill() throws IOException {
    dead = true;
    server.close();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        sockets.add(s);
        hold.countDown();
        Thread t = new Thread(() -> serve(s), "dying-upstream-" + name + "-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed by kill() or close()
      }
    }
  }

  private void serve(Socket s) {
    try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
      while (readHead(in)) {
        if (dead) {
          refusedAfterKill.incrementAndGet();
          if (close == Close.RESET) {
            s.setSoLinger(true, 0);
          }
          return;
        }
        hold.await(10, TimeUnit.SECONDS);
        byte[] body = name.getBytes(StandardCharsets.US_ASCII);
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        answered.incrementAndGet();
      }
    } catch (SocketException e) {
      // the peer went away, or close()
    } catch (IOException | InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Reads one request head; false at end of stream. Bodies are not expected (GET only). */
  private static boolean readHead(InputStream in) throws IOException {
    int matched = 0;
    int b;
    boolean any = false;
    while ((b = in.read()) != -1) {
      any = true;
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : 0;
      if (matched == 4) {
        return true;
      }
    }
    if (any) {
      throw new IOException("connection closed inside a request head");
    }
    return false;
  }

  @Override
  public void close() {
    dead = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
