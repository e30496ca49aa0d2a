package dev.harp.auth;

import dev.harp.secrets.KeyHash;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Route rules cannot be bypassed by writing a path another way. */
class AuthPathTest extends AuthTestBase {

  private static final String APP_KEY = "harp_app-key-for-path-tests";
  private static final String OPS_KEY = "harp_ops-key-for-path-tests";

  /** Each of these names /admin/... to some upstream; none may reach it without admin rights. */
  static final List<String> TRICKS = List.of(
      "/ADMIN/panel", "/Admin/panel", "/admin./panel", "/admin%2e/panel", "/admin;x=1/panel", "/admin;/panel",
      "//admin/panel", "/public/../admin/panel", "/public/%2e%2e/admin/panel", "/public/%2E%2e/admin/panel",
      "/public/..;/admin/panel", "/public/.%2e/admin/panel", "/public%2f..%2fadmin/panel", "/public%2Fadmin",
      "/public/%252e%252e/admin/panel", "/public%5c..%5cadmin/panel", "/public/..%00/admin", "/%61dmin/panel",
      "/admin%20/panel", "/admin/./panel", "/public/.../admin", "/public/..%20/admin", "/admin", "/admin/");

  @Test
  void noWayOfWritingAnAdminPathReachesTheUpstreamWithoutAdminRights() {
    upstream = upstream();
    start("""
        apiKeys: {header: X-Api-Key}
        adminGroups: [admin]
        rules:
          - {path: /public/**, access: public}
          - {path: /admin/**, access: admin}
        access: user
        """, """
        consumers:
          - {name: app, keys: [{id: k1, sha256: %s}]}
          - {name: ops, groups: [Admin], keys: [{id: k1, sha256: %s}]}
        """.formatted(KeyHash.sha256Hex(APP_KEY), KeyHash.sha256Hex(OPS_KEY)));

    for (String path : TRICKS) {
      assertThat(raw(path, null)).as("anonymous %s", path).isIn(400, 401);
      assertThat(raw(path, APP_KEY)).as("non-admin consumer %s", path).isIn(400, 403);
    }
    assertThat(upstream.seen()).as("the upstream saw none of the tricks").isEmpty();

    assertThat(get("/public/page").statusCode()).isEqualTo(200);
    assertThat(get("/other").statusCode()).as("default access: user").isEqualTo(401);
    assertThat(get("/other", "X-Api-Key", APP_KEY).statusCode()).isEqualTo(200);
    assertThat(get("/admin/panel", "X-Api-Key", OPS_KEY).statusCode()).isEqualTo(200);
    assertThat(get("/ADMIN./panel", "X-Api-Key", OPS_KEY).statusCode()).isEqualTo(200);
    assertThat(upstream.seen()).extracting(s -> s.uri())
        .containsExactly("/public/page", "/other", "/admin/panel", "/ADMIN./panel");
  }

  /** Status of a raw request: java.net.http would normalise or refuse some of these targets before sending them. */
  private int raw(String path, String key) {
    try (Socket s = new Socket("127.0.0.1", proxyPort)) {
      s.setSoTimeout(10_000);
      String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
          + (key == null ? "" : "X-Api-Key: " + key + "\r\n") + "\r\n";
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(answer).as("answer to %s", path).startsWith("HTTP/1.1 ");
      return Integer.parseInt(answer.substring(9, 12));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
