package dev.harp.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The example configs the README points at must stay valid. */
class ExampleConfigsTest {

  @Test
  void everyExampleConfigIsValid() throws Exception {
    Path examples = Path.of("..", "cluster-config", "examples");
    List<Path> files;
    try (Stream<Path> s = Files.list(examples)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(4);
    for (Path f : files) {
      HarpConfig c = ConfigLoader.load(f, Map.of());
      assertThat(c.proxies()).as(f.toString()).isNotEmpty();
    }
  }
}
