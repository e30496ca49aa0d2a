package dev.harp.admin.auth;

import dev.harp.secrets.KeyHash;
import dev.harp.config.ConfigLoader;
import dev.harp.config.HarpConfig;
import dev.harp.config.InvalidConfigException;
import dev.harp.testkit.TestAdmin;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code admin:} block: defaults, validation, and that hashes do not leak through toString. */
class AuthAdminConfigTest {

  private static final String PROXIES = """
      proxies:
        - {name: api, port: 4000, upstream: {endpoints: [http://127.0.0.1:9000]}}
      """;

  private static HarpConfig parse(String admin) {
    return ConfigLoader.parse(admin + PROXIES, "test.yaml", Map.of(), null);
  }

  @Test
  void defaultsLeaveHealthOpenAndProtectMetrics() {
    HarpConfig.AdminConfig admin = parse("admin: {port: 4080}\n").admin();
    assertThat(admin.openHealth()).isTrue();
    assertThat(admin.openMetrics()).isFalse();
    assertThat(admin.loginCacheTtl()).isEqualTo(Duration.ofSeconds(60));
    assertThat(admin.users()).isEmpty();
    assertThat(admin.hasCredentials()).as("no users: the generated login is used").isFalse();
  }

  @Test
  void readsUsersAndTokensAndKeepsHashesOutOfToString() {
    String tokenHash = KeyHash.sha256Hex("harp_secret").toUpperCase();
    HarpConfig.AdminConfig admin = parse("""
        admin:
          users: [%s]
          tokens: [{name: ci, sha256: %s}]
          openHealth: false
          openMetrics: true
          loginCacheTtl: 5s
        """.formatted(TestAdmin.USER_YAML, tokenHash)).admin();
    assertThat(admin.users()).singleElement().satisfies(u -> {
      assertThat(u.name()).isEqualTo(TestAdmin.USER);
      assertThat(u.passwordHash()).isEqualTo(TestAdmin.PASSWORD_HASH);
    });
    assertThat(admin.tokens()).singleElement().satisfies(t ->
        assertThat(t.sha256()).as("normalised to lowercase").isEqualTo(tokenHash.toLowerCase()));
    assertThat(admin.openHealth()).isFalse();
    assertThat(admin.openMetrics()).isTrue();
    assertThat(admin.loginCacheTtl()).isEqualTo(Duration.ofSeconds(5));
    assertThat(admin.toString()).doesNotContain(TestAdmin.PASSWORD_HASH).doesNotContain(tokenHash.toLowerCase());
  }

  @Test
  void refusesPlainPasswordsBadTokensAndDuplicateNamesWithoutEchoingThem() {
    assertThatThrownBy(() -> parse("""
        admin:
          users:
            - {name: alice, passwordHash: hunter2}
            - {name: bob}
            - {name: 'bad name', passwordHash: '%s'}
          tokens:
            - {name: alice, sha256: %s}
            - {name: ci, sha256: not-hex}
        """.formatted(TestAdmin.PASSWORD_HASH, KeyHash.sha256Hex("x"))))
        .isInstanceOf(InvalidConfigException.class)
        .satisfies(e -> {
          InvalidConfigException invalid = (InvalidConfigException) e;
          assertThat(invalid.problems()).anyMatch(p -> p.startsWith("admin.users[0].passwordHash: must be a bcrypt"))
              .anyMatch(p -> p.startsWith("admin.users[1].passwordHash: is required"))
              .anyMatch(p -> p.startsWith("admin.users[2].name: use 1-64 letters"))
              .anyMatch(p -> p.startsWith("admin.tokens[0].name: 'alice' is used twice"))
              .anyMatch(p -> p.startsWith("admin.tokens[1].sha256: must be the 64 hex digits"));
          assertThat(invalid.getMessage()).doesNotContain("hunter2").doesNotContain("not-hex");
        });
  }
}
