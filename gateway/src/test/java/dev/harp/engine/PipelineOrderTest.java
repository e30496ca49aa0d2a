package dev.harp.engine;

import dev.harp.spi.Placement;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Order as data: the placements give one order, or the config is refused naming the filters at fault. */
class PipelineOrderTest {

  /** HARP's own placements and every factory's on the class path (as a node knows them), and one more. */
  private static Map<String, Placement> with(String name, Placement p) {
    Map<String, Placement> m = builtins();
    m.put(name, p);
    return m;
  }

  /** HARP's own placements and every factory's on the class path, as a node knows them. */
  private static Map<String, Placement> builtins() {
    Map<String, Placement> m = new HashMap<>(BuiltinFilters.PLACEMENTS);
    m.putAll(FilterFactories.load(PipelineOrderTest.class.getClassLoader(), Set.of()).placements());
    return m;
  }

  private static List<String> ordered(Set<String> present, Map<String, Placement> placements) {
    PipelineOrder.Result r = PipelineOrder.resolve(present, placements);
    assertThat(r).isInstanceOf(PipelineOrder.Ordered.class);
    return ((PipelineOrder.Ordered) r).names();
  }

  @Test
  void harpsOwnFiltersKeepTheirOrderWhateverOrderTheyAreFoundIn() {
    assertThat(ordered(new java.util.LinkedHashSet<>(List.of("cache", "auth", "capture", "rate-limit", "ban")),
        builtins())).containsExactly("ban", "capture", "auth", "rate-limit", "cache");
  }

  @Test
  void constraintsCarryThroughFiltersTheProxyDoesNotHave() {
    // Placed after auth and before rate-limit; this proxy has neither, yet its place against capture and cache is
    // known through them.
    Map<String, Placement> p = with("rules", Placement.after("auth").andBefore("rate-limit"));
    assertThat(ordered(Set.of("cache", "rules", "capture"), p)).containsExactly("capture", "rules", "cache");
  }

  @Test
  void twoFiltersWithoutAnOrderBetweenThemAreATie() {
    Map<String, Placement> p = with("sign", Placement.after("auth"));
    PipelineOrder.Result r = PipelineOrder.resolve(Set.of("auth", "rate-limit", "sign"), p);
    assertThat(r).isInstanceOf(PipelineOrder.Refused.class);
    assertThat(((PipelineOrder.Refused) r).reason())
        .contains("'rate-limit' and 'sign' could run in either order");
  }

  @Test
  void aCycleIsRefused() {
    Map<String, Placement> p = with("odd", Placement.after("cache").andBefore("auth"));
    PipelineOrder.Result r = PipelineOrder.resolve(Set.of("auth", "odd"), p);
    assertThat(((PipelineOrder.Refused) r).reason()).contains("cycle");
  }

  @Test
  void anOverrideMustListExactlyTheProxysFilters() {
    assertThat(PipelineOrder.checkOverride(List.of("auth", "cache"), Set.of("auth", "cache"))).isNull();
    assertThat(PipelineOrder.checkOverride(List.of("auth"), Set.of("auth", "cache")))
        .contains("does not list 'cache'");
    assertThat(PipelineOrder.checkOverride(List.of("auth", "auth", "cache"), Set.of("auth", "cache")))
        .contains("twice");
    assertThat(PipelineOrder.checkOverride(List.of("auth", "cache", "x"), Set.of("auth", "cache")))
        .contains("'x', which this proxy does not have");
  }
}
