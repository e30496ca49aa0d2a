package dev.harp.observe;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;

import java.util.concurrent.atomic.LongAdder;

/**
 * Logback's AsyncAppender with {@code neverBlock} drops lines silently when its queue is full. This one counts what
 * it drops ({@code harp_log_lines_dropped_total}), so a slow stdout never stalls an event loop and never loses a line
 * unseen. It refuses a line while fewer than {@link #HEADROOM} slots are free, so concurrent producers (the event
 * loops) can never make the underlying non-blocking offer fail uncounted.
 */
public final class CountingAsyncAppender extends AsyncAppender {

  static final int HEADROOM = 16;
  private static final LongAdder DROPPED = new LongAdder();

  public static long dropped() {
    return DROPPED.sum();
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (getRemainingCapacity() < HEADROOM) {
      DROPPED.increment();
      return;
    }
    super.append(event);
  }
}
