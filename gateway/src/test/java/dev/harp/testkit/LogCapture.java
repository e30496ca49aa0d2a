package dev.harp.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Captures every log line of this JVM (all loggers, every thread) as rendered text, message, key-value pairs and
 * stack traces included, from {@link #start()} to {@link #close()}. For tests that grep the logs for secrets or wait
 * for a line.
 */
public final class LogCapture implements AutoCloseable {

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Logger root;
  private final AppenderBase<ILoggingEvent> appender;

  private LogCapture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    PatternLayout layout = new PatternLayout();
    layout.setContext(context);
    layout.setPattern("%level %logger - %msg%replace( %kvp){'^ $',''}%n%ex");
    layout.start();
    appender = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        lines.add(layout.doLayout(event));
      }
    };
    appender.setContext(context);
    appender.setName("test-capture-" + System.identityHashCode(this));
    appender.start();
    root.addAppender(appender);
  }

  public static LogCapture start() {
    return new LogCapture();
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  public List<String> linesContaining(String text) {
    return lines.stream().filter(l -> l.contains(text)).toList();
  }

  /** Fails naming the first line that contains any of {@code secrets} (without printing the secret itself). */
  public void assertNoLineContains(String... secrets) {
    assertThat(lines).as("captured log lines").isNotEmpty();
    for (String secret : secrets) {
      for (String line : lines) {
        if (line.contains(secret)) {
          throw new AssertionError("a log line contains a secret (" + secret.length() + " chars) starting '"
              + secret.substring(0, Math.min(3, secret.length())) + "': "
              + line.replace(secret, "<SECRET>"));
        }
      }
    }
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
  }
}
