package dev.harp.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * The example plugin (examples/hmac-signing) as a jar, from the same Maven run: the packaged jar after
 * {@code package} ({@code ./mvnw verify}), or, under {@code ./mvnw test} where modules are not packaged, a jar made
 * of its compiled classes and service file, which is what the packaged one holds.
 */
final class ExamplePlugin {

  private ExamplePlugin() {
  }

  /** Puts the example's jar into {@code pluginsDir}; fails loudly when the example was not built. */
  static Path installInto(Path pluginsDir) throws IOException {
    String dir = System.getProperty("harp.examplePlugin", "../examples/hmac-signing/target");
    Path target = Path.of(dir);
    Files.createDirectories(pluginsDir);
    Path dest = pluginsDir.resolve("harp-example-hmac-signing.jar");
    try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
      List<Path> jars = files.filter(p -> p.getFileName().toString().matches("harp-example-hmac-signing-.*\\.jar"))
          .toList();
      if (!jars.isEmpty()) {
        return Files.copy(jars.get(0), dest);
      }
    }
    Path classes = target.resolve("classes");
    if (!Files.isDirectory(classes.resolve("META-INF"))) {
      throw new IllegalStateException("the example plugin is not built: " + classes.toAbsolutePath()
          + " (run the build from the repository root, e.g. ./mvnw verify)");
    }
    try (OutputStream out = Files.newOutputStream(dest); JarOutputStream jar = new JarOutputStream(out);
         Stream<Path> all = Files.walk(classes)) {
      for (Path p : all.filter(Files::isRegularFile).sorted().toList()) {
        jar.putNextEntry(new ZipEntry(classes.relativize(p).toString().replace('\\', '/')));
        Files.copy(p, jar);
        jar.closeEntry();
      }
    }
    return dest;
  }
}
