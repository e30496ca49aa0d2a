package dev.harp.observe;

import dev.harp.engine.CompletedExchange;
import dev.harp.engine.ExchangeListener;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.atomic.LongAdder;

/**
 * Accumulates one proxy's per-second figures from every event loop. Counters are cumulative and read as differences,
 * so a tick racing an increment loses nothing; latencies go into an HdrHistogram {@link Recorder}, whose writers are
 * wait-free and whose interval swap gives the tick a clean second.
 */
final class StatsRecorder implements ExchangeListener {

  /** Microseconds; an hour covers any WebSocket tunnel worth a percentile, longer ones are clamped. */
  private static final long MAX_MICROS = 3_600_000_000L;

  private final String node;
  private final String proxy;
  private final TrafficEvents traffic;
  private final Recorder latency = new Recorder(MAX_MICROS, 2);
  private final LongAdder errors = new LongAdder();
  private final LongAdder bytesIn = new LongAdder();
  private final LongAdder bytesOut = new LongAdder();
  private Histogram recycled;
  private long lastTickNanos = System.nanoTime();
  private long lastErrors;
  private long lastBytesIn;
  private long lastBytesOut;
  private long lastPublished;
  private long lastSampledOut;

  StatsRecorder(String node, String proxy, TrafficEvents traffic) {
    this.node = node;
    this.proxy = proxy;
    this.traffic = traffic;
  }

  @Override
  public void onComplete(CompletedExchange e) {
    latency.recordValue(Math.min(MAX_MICROS, Math.max(0, e.durationNanos() / 1_000)));
    if (e.isError()) {
      errors.increment();
    }
    bytesIn.add(e.bytesIn());
    bytesOut.add(e.bytesOut());
  }

  /** Closes the current window. Called by one thread at a time (the observers' timer). */
  ProxyStats tick(long nowEpochMillis) {
    long now = System.nanoTime();
    Histogram h = latency.getIntervalHistogram(recycled);
    recycled = h;
    long errorsNow = errors.sum();
    long inNow = bytesIn.sum();
    long outNow = bytesOut.sum();
    long publishedNow = traffic.published();
    long sampledOutNow = traffic.sampledOut();
    ProxyStats stats = new ProxyStats(node, proxy, nowEpochMillis, (now - lastTickNanos) / 1_000_000,
        h.getTotalCount(), errorsNow - lastErrors, ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)),
        ms(h.getMaxValue()), inNow - lastBytesIn, outNow - lastBytesOut, publishedNow - lastPublished,
        sampledOutNow - lastSampledOut);
    lastTickNanos = now;
    lastErrors = errorsNow;
    lastBytesIn = inNow;
    lastBytesOut = outNow;
    lastPublished = publishedNow;
    lastSampledOut = sampledOutNow;
    return stats;
  }

  private static double ms(long micros) {
    return micros / 1_000.0;
  }
}
