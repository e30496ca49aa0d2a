package dev.harp.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.harp.config.ConfigNode;
import dev.harp.config.ConfigProblems;
import dev.harp.engine.ConfigBlocks;
import dev.harp.spi.Attachment;
import dev.harp.spi.ConfigBlock;
import dev.harp.spi.Exchange;
import dev.harp.spi.Filter;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's capture through the filter SPI: its block, its place, and a body phase that only observes. */
class CaptureFilterTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private final CaptureFilterFactory factory = new CaptureFilterFactory();

  private CaptureSettings read(String yaml, ConfigProblems problems) throws Exception {
    ConfigBlock block = ConfigBlocks.of(new ConfigNode(YAML.readTree(yaml), "proxies[0].capture", problems));
    return factory.read(block);
  }

  @Test
  void theBlockIsReadAsBefore() throws Exception {
    ConfigProblems problems = new ConfigProblems();
    CaptureSettings s = read("{bodyPreview: 2KiB, redactHeaders: [X-Secret], redactFields: [pin]}", problems);
    assertThat(problems.isEmpty()).isTrue();
    assertThat(s.bodyPreview()).isEqualTo(2048);
    assertThat(s.redactsHeader("x-secret")).isTrue();
    assertThat(s.redactFields()).contains("pin", "password");

    ConfigProblems bad = new ConfigProblems();
    read("{bodyPreview: 1MiB, colour: red}", bad);
    assertThat(bad.list()).anyMatch(p -> p.contains("proxies[0].capture.bodyPreview") && p.contains("at most"))
        .anyMatch(p -> p.contains("colour"));
  }

  @Test
  void itSitsAfterBanAndBeforeAuth() {
    assertThat(factory.name()).isEqualTo("capture");
    assertThat(factory.placement().after()).containsExactly("ban");
    assertThat(factory.placement().before()).containsExactly("auth");
  }

  @Test
  void previewsObserveTheBodiesUpToTheCap() throws Exception {
    Filter filter = factory.create(read("{bodyPreview: 4}", new ConfigProblems()), null);
    assertThat(filter.changesBodies()).as("observe only: lengths and framing are kept").isFalse();
    Exchange exchange = attachmentsOnly();
    filter.onRequest(exchange, () -> { });
    Buffer chunk = Buffer.buffer("abcdef");
    assertThat(filter.onRequestChunk(exchange, chunk)).isSameAs(chunk);
    assertThat(filter.onResponseChunk(exchange, Buffer.buffer("xy"))).hasToString("xy");
    filter.onResponseChunk(exchange, Buffer.buffer("zzz"));
    PreviewTap tap = exchange.get(CaptureFilter.PREVIEW);
    assertThat(new String(tap.requestPreview().bytes(), 0, tap.requestPreview().kept())).isEqualTo("abcd");
    assertThat(tap.requestPreview().total()).isEqualTo(6);
    assertThat(new String(tap.responsePreview().bytes(), 0, tap.responsePreview().kept())).isEqualTo("xyzz");
    assertThat(tap.responsePreview().truncated()).isTrue();
  }

  @Test
  void withoutPreviewsTheFilterHasNoPhaseAtAll() throws Exception {
    Filter filter = factory.create(read("{redactHeaders: [X-Secret]}", new ConfigProblems()), null);
    for (var m : filter.getClass().getMethods()) {
      if (m.getName().startsWith("on")) {
        assertThat(m.getDeclaringClass()).as(m.getName()).isEqualTo(Filter.class);
      }
    }
  }

  /** An exchange that only holds attachments: all the capture filter uses. */
  private static Exchange attachmentsOnly() {
    Map<Attachment<?>, Object> values = new HashMap<>();
    return (Exchange) Proxy.newProxyInstance(Exchange.class.getClassLoader(), new Class<?>[] {Exchange.class},
        (p, method, args) -> switch (method.getName()) {
          case "put" -> values.put((Attachment<?>) args[0], args[1]);
          case "get" -> values.get(args[0]);
          case "isUpgrade" -> false;
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
