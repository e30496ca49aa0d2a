package dev.harp.engine;

import dev.harp.config.ConfigLoader;
import dev.harp.node.HarpNode;
import dev.harp.testkit.Await;
import dev.harp.testkit.Ports;
import dev.harp.testkit.TestAdmin;
import dev.harp.testkit.TestUpstream;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
  private HarpNode node;
  private TestUpstream upstream;

  @AfterEach
  void stop() {
    if (node != null) {
      Await.result(node.stop(), Duration.ofSeconds(30));
    }
    if (upstream != null) {
      upstream.close();
    }
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
    upstream = TestUpstream.start();
    int proxyPort = Ports.free();
    int adminPort = Ports.free();
    Path config = Files.writeString(dir.resolve("harp.yaml"), """
        node: {name: readme-node, drainTimeout: 2s, eventLoops: 1}
        admin: {bind: 127.0.0.1, port: %d, users: [%s]}
        proxies:
          - name: api
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: ['%s']}
            tenant: {header: X-Org}
            cache: {}
        """.formatted(adminPort, TestAdmin.USER_YAML, proxyPort, upstream.url()));
    node = Await.result(HarpNode.start(ConfigLoader.load(config, Map.of())), Duration.ofSeconds(60));
    HttpClient http = HttpClient.newHttpClient();
    URI target = URI.create("http://127.0.0.1:" + proxyPort + "/x");

    HttpResponse<String> refused = http.send(HttpRequest.newBuilder(target).build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> passed = http.send(HttpRequest.newBuilder(target).header("X-Org", "acme").build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(refused.body()).contains("\"type\":\"https://harp.dev/problems/tenant-required\"")
        .contains("X-Org is required");
    assertThat(passed.statusCode()).isEqualTo(200);
    assertThat(upstream.seen()).hasSize(1);
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
        .header("Authorization", TestAdmin.basic()).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("harp_filter_tenant_refused_total{proxy=\"api\"} 1.0")
        .contains("harp_failures_total{proxy=\"api\",reason=\"tenant-required\"} 1.0");
  }
}
