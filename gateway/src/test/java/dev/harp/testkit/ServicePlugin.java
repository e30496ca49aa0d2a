package dev.harp.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

/**
 * A plugin jar holding only a {@code META-INF/services/dev.harp.spi.FilterFactory} file that names test classes:
 * the node's plugin loader finds the classes on the test class path (its parent), so a test can run its own
 * factories on a real node, loaded the way a plugin's are, without adding them to every other test's node.
 */
public final class ServicePlugin {

  private ServicePlugin() {
  }

  public static Path install(Path pluginsDir, Class<?>... factories) throws IOException {
    Files.createDirectories(pluginsDir);
    Path jar = pluginsDir.resolve("test-factories.jar");
    String names = Stream.of(factories).map(Class::getName).collect(Collectors.joining("\n", "", "\n"));
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
      j.putNextEntry(new ZipEntry("META-INF/services/dev.harp.spi.FilterFactory"));
      j.write(names.getBytes(StandardCharsets.UTF_8));
      j.closeEntry();
    }
    return jar;
  }
}
