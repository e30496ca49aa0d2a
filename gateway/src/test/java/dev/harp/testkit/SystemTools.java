package dev.harp.testkit;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tests that need a system tool (keepalived, sshd, ansible-playbook, chromium, promtool, ip netns) call
 * {@link #require}. Where the tool is missing the test is skipped with a loud message, so the README's test command
 * passes on a laptop with only a JDK; with {@code -Dharp.requireTools=true} (what .ci/run passes) it fails instead.
 * {@code .ci/install-test-tools.sh} installs every such tool on Debian/Ubuntu.
 */
public final class SystemTools {

  private SystemTools() {
  }

  public static boolean strict() {
    return Boolean.getBoolean("harp.requireTools");
  }

  /** @return the tool's absolute path */
  public static Path require(String tool, String why) {
    Path found = find(tool);
    if (found == null) {
      missing(tool + " not found on PATH", why);
    }
    return found;
  }

  /** Skips (or, in strict mode, fails) the current test with a loud message. */
  public static void missing(String what, String why) {
    String message = "SKIPPED: " + what + " (needed for: " + why + "). Install the test tools with "
        + ".ci/install-test-tools.sh; -Dharp.requireTools=true turns this skip into a failure.";
    System.err.println("\n!!!!!!!! " + message + "\n");
    if (strict()) {
      Assertions.fail(message);
    }
    Assumptions.abort(message);
  }

  public static void requireRoot(String why) {
    if (!"root".equals(System.getProperty("user.name"))) {
      missing("root privileges", why);
    }
  }

  public static Path find(String tool) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin";
    for (String dir : path.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
