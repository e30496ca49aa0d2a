package dev.harp.capture;

import dev.harp.config.ConfigNode;
import dev.harp.config.ProxyConfig;
import dev.harp.engine.ConfigBlocks;
import dev.harp.engine.FilterBlock;
import dev.harp.spi.ConfigBlock;
import dev.harp.spi.Filter;
import dev.harp.spi.FilterContext;
import dev.harp.spi.FilterFactory;
import dev.harp.spi.Placement;

import java.util.HashSet;
import java.util.Set;

/**
 * The dashboard's body previews as a filter, through the same SPI as any plugin: a proxy's {@code capture:} block
 * ({@code bodyPreview} (a size), {@code redactHeaders}, {@code redactFields}). Where {@code bodyPreview} is above
 * zero its {@link CaptureFilter} copies the first bytes of each body from the body phases, observing only. Nothing of
 * the node is needed here: the dashboard's transaction store reads the previews from the completed exchanges
 * ({@link ExchangeCapture}), and takes the redaction rules from the same block ({@link #settings}).
 */
public final class CaptureFilterFactory implements FilterFactory<CaptureSettings> {

  public static final String KEY = "capture";

  @Override
  public String name() {
    return KEY;
  }

  /** After ban (a banned client costs nothing), before auth: the preview shows the request as the client sent it. */
  @Override
  public Placement placement() {
    return Placement.after("ban").andBefore("auth");
  }

  @Override
  public CaptureSettings read(ConfigBlock config) {
    ConfigNode block = ConfigBlocks.node(config);
    block.allowOnly(Set.of("bodyPreview", "redactHeaders", "redactFields"));
    long preview = block.bytes("bodyPreview", 0);
    if (preview > CaptureSettings.MAX_BODY_PREVIEW) {
      block.problem("bodyPreview", "at most " + CaptureSettings.MAX_BODY_PREVIEW + " bytes (it is held per exchange)");
      preview = CaptureSettings.MAX_BODY_PREVIEW;
    }
    return new CaptureSettings((int) preview, new HashSet<>(block.strings("redactHeaders")),
        new HashSet<>(block.strings("redactFields")));
  }

  /**
   * Without previews the filter implements no phase, so the engine only passes exchanges on: a proxy that has a
   * {@code capture:} block for its redaction rules alone pays nothing for it.
   */
  @Override
  public Filter create(CaptureSettings settings, FilterContext context) {
    return settings.bodyPreview() > 0 ? new CaptureFilter(settings.bodyPreview()) : new Filter() { };
  }

  /** A proxy's capture settings: its {@code capture:} block's, or the defaults (no previews) without one. */
  public static CaptureSettings settings(ProxyConfig proxy) {
    return proxy.feature(KEY).map(block -> block instanceof FilterBlock fb ? fb.config() : block)
        .filter(CaptureSettings.class::isInstance).map(CaptureSettings.class::cast).orElse(CaptureSettings.DEFAULT);
  }
}
