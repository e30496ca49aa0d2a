package dev.harp.engine;

import dev.harp.testkit.ConfigFileNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin listed in the README's "Extending HARP" is compiled from the README itself, packed as a jar with its
 * service file, put in plugins/ and run on a real node: the README's promise is tested, not just printed.
 */
class ReadmePluginTest {

  @TempDir
  Path dir;
  private final ConfigFileNode harp = new ConfigFileNode();

  @AfterEach
  void stop() {
    harp.close();
  }

  /** The first java block after the "## Extending HARP" heading. */
  private static String readmeListing() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
    StringBuilder code = new StringBuilder();
    boolean inSection = false;
    boolean inCode = false;
    for (String line : lines) {
      if (line.startsWith("## Extending HARP")) {
        inSection = true;
      } else if (inSection && !inCode && line.equals("```java")) {
        inCode = true;
      } else if (inCode && line.equals("```")) {
        return code.toString();
      } else if (inCode) {
        code.append(line).append('\n');
      }
    }
    throw new AssertionError("README.md has no java listing under '## Extending HARP'");
  }

  private Path buildPlugin(String source) throws Exception {
    assertThat(source.lines().count()).as("the README promises a plugin of under 40 lines").isLessThan(40);
    Path src = Files.createDirectories(dir.resolve("src/com/example"));
    Files.writeString(src.resolve("TenantRequired.java"), source);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc = javac.run(null, errors, errors, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
        src.resolve("TenantRequired.java").toString());
    assertThat(rc).as("javac: " + errors).isZero();
    Path jar = Files.createDirectories(dir.resolve("plugins")).resolve("tenant.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
         Stream<Path> files = Files.walk(classes)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        j.putNextEntry(new ZipEntry(classes.relativize(p).toString()));
        Files.copy(p, j);
        j.closeEntry();
      }
      j.putNextEntry(new ZipEntry("META-INF/services/dev.harp.spi.FilterFactory"));
      j.write("com.example.TenantRequired\n".getBytes(StandardCharsets.UTF_8));
      j.closeEntry();
    }
    return jar;
  }

  @Test
  void theReadmesPluginRunsOnARealNode() throws Exception {
    buildPlugin(readmeListing());
    harp.start(harp.writeConfig(dir, "tenant: {header: X-Org}\ncache: {}"));
    HttpClient http = HttpClient.newHttpClient();
    URI target = harp.proxy("/x");

    HttpResponse<String> refused = http.send(HttpRequest.newBuilder(target).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> passed = http.send(HttpRequest.newBuilder(target).header("X-Org", "acme").build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(refused.body()).contains("\"type\":\"https://harp.dev/problems/tenant-required\"")
        .contains("X-Org is required");
    assertThat(passed.statusCode()).isEqualTo(200);
    assertThat(harp.upstream.seen()).hasSize(1);
    assertThat(harp.metrics()).contains("harp_filter_tenant_refused_total{proxy=\"api\"} 1.0")
        .contains("harp_failures_total{proxy=\"api\",reason=\"tenant-required\"} 1.0");
  }
}
