package dev.harp.engine;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The class loader of a node's plugins: every {@code *.jar} in the plugin directories (the {@code plugins/}
 * directory beside the config file when it exists, and those given with {@code --plugin-path}), over HARP's own
 * class loader, so a plugin sees the SPI and Vert.x of the node it runs in and nothing of another plugin's that
 * HARP does not also have.
 */
public final class Plugins {

  /** The directory beside a config file that is searched for plugin jars. */
  public static final String DIRECTORY = "plugins";

  private Plugins() {
  }

  /**
   * @param configFile the config file, or null
   * @param extraDirs  further directories ({@code --plugin-path})
   * @return HARP's own class loader when there is no plugin jar, else one over the jars
   * @throws PluginException when a given directory does not exist or cannot be read
   */
  public static ClassLoader loader(Path configFile, List<Path> extraDirs) {
    List<Path> dirs = new ArrayList<>();
    if (configFile != null) {
      Path beside = configFile.toAbsolutePath().getParent().resolve(DIRECTORY);
      if (Files.isDirectory(beside)) {
        dirs.add(beside);
      }
    }
    for (Path d : extraDirs) {
      if (!Files.isDirectory(d)) {
        throw new PluginException(d.toString(), "--plugin-path: not a directory");
      }
      dirs.add(d);
    }
    List<URL> jars = new ArrayList<>();
    for (Path dir : dirs) {
      jars.addAll(jarsIn(dir));
    }
    ClassLoader own = Plugins.class.getClassLoader();
    return jars.isEmpty() ? own : new URLClassLoader("harp-plugins", jars.toArray(URL[]::new), own);
  }

  private static List<URL> jarsIn(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      List<URL> out = new ArrayList<>();
      for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList()) {
        out.add(url(p));
      }
      return out;
    } catch (IOException e) {
      throw new PluginException(dir.toString(), "cannot list plugin directory: " + e.getMessage());
    }
  }

  private static URL url(Path jar) {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new PluginException(jar.toString(), e.getMessage());
    }
  }
}
