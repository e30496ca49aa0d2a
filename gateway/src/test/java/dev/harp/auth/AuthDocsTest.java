package dev.harp.auth;

import dev.harp.config.ConfigLoader;
import dev.harp.config.HarpConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The complete configs in docs/auth.md are valid and mean what the text says. */
class AuthDocsTest {

  private static final Path DOC = Path.of("..", "docs", "auth.md");

  @TempDir
  Path dir;

  @Test
  void theDocumentedExamplesAreValidConfigs() throws Exception {
    List<String> configs = new ArrayList<>();
    Matcher m = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(DOC));
    while (m.find()) {
      if (m.group(1).contains("proxies:")) {
        configs.add(m.group(1));
      }
    }
    assertThat(configs).as("complete examples in %s", DOC).hasSize(2);
    Path secret = Files.writeString(dir.resolve("maps-key"), "maps-secret\n");

    HarpConfig login = ConfigLoader.parse(configs.get(0), "docs example 1", Map.of(), null);
    AuthConfig apps = AuthConfig.of(login.proxy("apps")).orElseThrow();
    assertThat(apps.forward()).get().satisfies(f -> {
      assertThat(f.cookies()).containsExactly("platform_session");
      assertThat(f.identityHeaders()).containsExactly("X-User", "X-Groups");
    });
    assertThat(apps.rules()).extracting(AuthConfig.RouteRule::access).containsExactly(Access.PUBLIC, Access.ADMIN);
    assertThat(apps.access()).isEqualTo(Access.USER);

    HarpConfig keys = ConfigLoader.parse(configs.get(1).replace("/run/secrets/maps-key", secret.toString()),
        "docs example 2", Map.of("PAYMENTS_SECRET", "sk_example"), null);
    assertThat(keys.consumers()).extracting(HarpConfig.ConsumerConfig::name)
        .containsExactly("billing-app", "reports-app");
    AuthConfig payments = AuthConfig.of(keys.proxy("payments")).orElseThrow();
    assertThat(payments.inject()).containsExactly(new Injection.Bearer("sk_example"));
    assertThat(AuthConfig.of(keys.proxy("maps")).orElseThrow().inject())
        .containsExactly(new Injection.QueryParam("key", "maps-secret"));
  }
}
