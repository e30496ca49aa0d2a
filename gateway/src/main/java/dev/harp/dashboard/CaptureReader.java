package dev.harp.dashboard;

import dev.harp.config.ConfigNode;
import dev.harp.config.ProxyBlockReader;

import java.util.HashSet;
import java.util.Set;

/** Reads a proxy's {@code capture:} block: {@code bodyPreview} (a size), {@code redactHeaders}, {@code redactFields}. */
public final class CaptureReader implements ProxyBlockReader<CaptureSettings> {

  public static final String KEY = "capture";

  @Override
  public String key() {
    return KEY;
  }

  @Override
  public CaptureSettings read(ConfigNode block) {
    block.allowOnly(Set.of("bodyPreview", "redactHeaders", "redactFields"));
    long preview = block.bytes("bodyPreview", 0);
    if (preview > CaptureSettings.MAX_BODY_PREVIEW) {
      block.problem("bodyPreview", "at most " + CaptureSettings.MAX_BODY_PREVIEW + " bytes (it is held per exchange)");
      preview = CaptureSettings.MAX_BODY_PREVIEW;
    }
    return new CaptureSettings((int) preview, new HashSet<>(block.strings("redactHeaders")),
        new HashSet<>(block.strings("redactFields")));
  }
}
