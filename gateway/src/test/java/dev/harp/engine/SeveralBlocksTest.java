package dev.harp.engine;

import dev.harp.config.ConfigLoader;
import dev.harp.config.InvalidConfigException;
import dev.harp.config.ProxyConfig;
import dev.harp.spi.ConfigBlock;
import dev.harp.spi.Filter;
import dev.harp.spi.FilterContext;
import dev.harp.spi.FilterFactory;
import dev.harp.spi.Placement;
import dev.harp.testkit.ServicePlugin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A factory that reads several blocks of a proxy ({@link FilterFactory#configKeys}), as resilience does: it reads
 * them once, from the proxy's block, with their own key paths; its keys are taken from other factories; and a filter
 * placed next to the balancer is not in the request pipeline.
 */
class SeveralBlocksTest {

  /** Reads {@code left: {n}} and {@code right: {n}}; the sum is its config. */
  public static final class LeftRight implements FilterFactory<Integer> {
    @Override
    public String name() {
      return "left-right";
    }

    @Override
    public Set<String> configKeys() {
      return Set.of("left", "right");
    }

    @Override
    public Placement placement() {
      return Placement.after("cache");
    }

    @Override
    public Integer read(ConfigBlock proxy) {
      int sum = 0;
      for (String key : List.of("left", "right")) {
        ConfigBlock b = proxy.object(key);
        b.allowOnly(Set.of("n"));
        sum += (int) b.integer("n", 0, 0, 10);
      }
      return sum;
    }

    @Override
    public Filter create(Integer config, FilterContext context) {
      return new Filter() {
      };
    }
  }

  /** Wants resilience's {@code retry} key. */
  public static final class TakesRetry implements FilterFactory<Void> {
    @Override
    public String name() {
      return "takes-retry";
    }

    @Override
    public Set<String> configKeys() {
      return Set.of("retry", "other");
    }

    @Override
    public Placement placement() {
      return Placement.nextToBalancer();
    }

    @Override
    public Void read(ConfigBlock proxy) {
      return null;
    }

    @Override
    public Filter create(Void config, FilterContext context) {
      return new Filter() {
      };
    }
  }

  /** A one-block filter whose key is the name resilience's config is kept under. */
  public static final class KeyedResilience implements FilterFactory<Void> {
    @Override
    public String name() {
      return "my-resilience";
    }

    @Override
    public String configKey() {
      return "resilience";
    }

    @Override
    public Placement placement() {
      return Placement.after("cache");
    }

    @Override
    public Void read(ConfigBlock block) {
      return null;
    }

    @Override
    public Filter create(Void config, FilterContext context) {
      return new Filter() {
      };
    }
  }

  @TempDir
  Path dir;

  private Path config(String proxyExtra) throws Exception {
    return Files.writeString(dir.resolve("harp.yaml"), """
        proxies:
          - name: api
            port: 4000
            upstream: {endpoints: ['http://127.0.0.1:9000']}
        %s""".formatted(proxyExtra.indent(4)));
  }

  @Test
  void theBlocksAreReadOnceWithTheirKeyPaths() throws Exception {
    ServicePlugin.install(dir.resolve("plugins"), LeftRight.class);

    ProxyConfig p = ConfigLoader.load(config("left: {n: 2}\nright: {n: 3}"), Map.of()).proxy("api");
    FilterBlock block = p.<FilterBlock>feature("left-right").orElseThrow();
    assertThat(block.config()).isEqualTo(5);
    assertThat(p.features()).doesNotContainKeys("left", "right");
    assertThat(Pipelines.fromConfig(p)).contains("left-right");

    assertThat(ConfigLoader.load(config("right: {n: 4}"), Map.of()).proxy("api")
        .<FilterBlock>feature("left-right").orElseThrow().config()).isEqualTo(4);
    assertThat(ConfigLoader.load(config(""), Map.of()).proxy("api").feature("left-right")).isEmpty();

    assertThatThrownBy(() -> ConfigLoader.load(config("left: {n: 11, colour: blue}"), Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("proxies[0].left.n")
        .hasMessageContaining("proxies[0].left.colour");
  }

  @Test
  void aKeyAnotherFactoryReadsIsRefused() throws Exception {
    ServicePlugin.install(dir.resolve("plugins"), TakesRetry.class);

    assertThatThrownBy(() -> ConfigLoader.load(config(""), Map.of()))
        .hasMessageContaining("filter 'takes-retry' config key 'retry' is taken by")
        .hasMessageContaining("ResilienceFilterFactory");
  }

  @Test
  void aKeyWhereAnotherFactorysConfigIsKeptIsRefused() throws Exception {
    ServicePlugin.install(dir.resolve("plugins"), KeyedResilience.class);

    assertThatThrownBy(() -> ConfigLoader.load(config(""), Map.of()))
        .hasMessageContaining("filter name 'my-resilience' (key 'resilience') is taken by")
        .hasMessageContaining("ResilienceFilterFactory");
  }

  @Test
  void resilienceIsNotInTheRequestPipeline() throws Exception {
    ProxyConfig p = ConfigLoader.load(config("retry: {}\ncircuitBreaker: {}"), Map.of()).proxy("api");

    assertThat(p.<FilterBlock>feature("resilience")).isPresent();
    assertThat(Pipelines.fromConfig(p)).doesNotContain("resilience");
    assertThat(Pipelines.placements(p)).doesNotContainKey("resilience");
    assertThatThrownBy(() -> new Placement(Set.of("cache"), Set.of(), true))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
