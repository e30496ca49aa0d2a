package dev.harp.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CountingAsyncAppenderTest {

  @Test
  void everyLineIsEitherDeliveredOrCountedAsDropped() throws Exception {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    CountDownLatch stdoutStuck = new CountDownLatch(1);
    AtomicInteger delivered = new AtomicInteger();
    AppenderBase<ILoggingEvent> slowStdout = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        try {
          stdoutStuck.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
        }
        delivered.incrementAndGet();
      }
    };
    slowStdout.setContext(context);
    slowStdout.start();
    CountingAsyncAppender appender = new CountingAsyncAppender();
    appender.setContext(context);
    appender.setQueueSize(64);
    appender.setDiscardingThreshold(0);
    appender.setNeverBlock(true);
    appender.addAppender(slowStdout);
    appender.start();

    long droppedBefore = CountingAsyncAppender.dropped();
    long start = System.nanoTime();
    int sent = 1_000;
    for (int i = 0; i < sent; i++) {
      LoggingEvent e = new LoggingEvent("x", context.getLogger("harp.access.api"), Level.INFO, "line " + i, null, null);
      appender.doAppend(e);
    }
    long appendMs = (System.nanoTime() - start) / 1_000_000;
    long dropped = CountingAsyncAppender.dropped() - droppedBefore;
    stdoutStuck.countDown();
    appender.stop(); // flushes what was queued
    assertThat(appendMs).as("a stuck stdout never blocks the caller").isLessThan(5_000);
    assertThat(dropped).isPositive();
    assertThat(delivered.get() + dropped).isEqualTo(sent);
  }
}
