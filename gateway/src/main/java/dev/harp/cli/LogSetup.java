package dev.harp.cli;

import java.util.Map;

/**
 * Chooses the log format before any logger is created: readable lines by default, one JSON object a line with
 * {@code --log-format json} or {@code HARP_LOG_FORMAT=json}.
 */
final class LogSetup {

  private LogSetup() {
  }

  static void configure(String[] args, Map<String, String> env) {
    String format = env.getOrDefault("HARP_LOG_FORMAT", "text");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--log-format") && i + 1 < args.length) {
        format = args[i + 1];
      } else if (args[i].startsWith("--log-format=")) {
        format = args[i].substring("--log-format=".length());
      }
    }
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "json".equals(format) ? "logback-json.xml" : "logback.xml");
    }
    System.setProperty("hazelcast.logging.type", "slf4j");
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
  }
}
