package dev.harp.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The admin login of test nodes ({@link HarpTestCluster.NodeSpec#baseConfig()} and the proxy test base): a bcrypt
 * hash at cost 4, so starting a node and logging in stay fast. Tests that write their own {@code admin:} block add
 * {@code users: [%s]} with {@link #USER_YAML}, or leave users out to get the generated login.
 */
public final class TestAdmin {

  public static final String USER = "test-admin";
  public static final String PASSWORD = "test-admin-password";
  /** bcrypt of {@link #PASSWORD}, cost 4. */
  public static final String PASSWORD_HASH = "$2a$04$tR2pjMi9Gik2odr9jLmtN.GXaxvmFpJPidV7IJj1E5Ydp0LdymYbm";
  /** One entry of {@code admin.users}, as YAML flow. */
  public static final String USER_YAML = "{name: " + USER + ", passwordHash: '" + PASSWORD_HASH + "'}";

  private TestAdmin() {
  }

  /** The {@code Authorization} value that logs in as the test admin. */
  public static String basic() {
    return basic(USER, PASSWORD);
  }

  public static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
