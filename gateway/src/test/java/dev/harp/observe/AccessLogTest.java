package dev.harp.observe;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.harp.node.HarpNode;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.Ports;
import dev.harp.testkit.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Access-log lines of a real exchange, rendered by the encoders of the production logback files: the events are
 * captured from logger {@code harp.access.api}, then encoded exactly as logback.xml and logback-json.xml would (the
 * encoder is taken from each file's STDOUT appender, configured by logback itself).
 */
class AccessLogTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static TestUpstream upstream;
  private static HarpNode node;
  private static int proxyPort;
  private static final BlockingQueue<ILoggingEvent> LINES = new LinkedBlockingQueue<>();
  private static AppenderBase<ILoggingEvent> capture;

  @BeforeAll
  static void start() {
    Logger access = (Logger) LoggerFactory.getLogger("harp.access.api");
    capture = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        LINES.add(event);
      }
    };
    capture.setContext(access.getLoggerContext());
    capture.start();
    access.addAppender(capture);
    upstream = TestUpstream.start().handler(req -> req.response().end("hello"));
    proxyPort = Ports.free();
    node = HarpTestCluster.single("""
        node: {name: access-node, eventLoops: 1}
        admin: {bind: 127.0.0.1, port: %d}
        proxies:
          - name: api
            port: %d
            accessLog: true
            upstream: {endpoints: [%s]}
        """.formatted(Ports.free(), proxyPort, upstream.url()));
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger("harp.access.api")).detachAppender(capture);
    if (node != null) {
      Await.result(node.stop());
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  void jsonFormatGivesOneJsonObjectALineWithTheRequestId() throws Exception {
    ILoggingEvent event = exchange("access-json-1");
    String encoded = new String(encoder("logback-json.xml").encode(event), StandardCharsets.UTF_8);

    assertThat(encoded).endsWith("\n");
    assertThat(encoded.strip()).doesNotContain("\n");
    JsonNode line = JSON.readTree(encoded);
    assertThat(line.isObject()).isTrue();
    assertThat(line.path("loggerName").asText()).isEqualTo("harp.access.api");
    assertThat(line.path("level").asText()).isEqualTo("INFO");
    assertThat(line.path("formattedMessage").asText()).startsWith("GET /things 200 ");
    assertThat(kv(line, "requestId")).isEqualTo("access-json-1");
    assertThat(kv(line, "proxy")).isEqualTo("api");
    assertThat(kv(line, "status")).isEqualTo("200");
    assertThat(kv(line, "bytesOut")).isEqualTo("5");
    assertThat(kv(line, "upstream")).isEqualTo(upstream.url());
  }

  @Test
  void readableFormatPrintsTheKeyValuesAfterTheMessage() throws Exception {
    ILoggingEvent event = exchange("access-text-1");
    String encoded = new String(encoder("logback.xml").encode(event), StandardCharsets.UTF_8);

    assertThat(encoded).contains("harp.access.api - GET /things 200 ")
        .contains("requestId=\"access-text-1\"").contains("status=\"200\"").contains("client=\"127.0.0.1\"");
    assertThat(encoded.strip()).doesNotContain("\n");
  }

  @Test
  void refusedRequestsAreLoggedToo() throws Exception {
    LINES.clear();
    node.proxy("api").rejected("header-too-large", 431);
    ILoggingEvent event = LINES.poll(10, TimeUnit.SECONDS);
    assertThat(event).isNotNull();
    JsonNode line = JSON.readTree(encoder("logback-json.xml").encode(event));
    assertThat(kv(line, "rejected")).isEqualTo("header-too-large");
    assertThat(kv(line, "status")).isEqualTo("431");
  }

  private static ILoggingEvent exchange(String requestId) throws InterruptedException {
    LINES.clear();
    assertThat(Http.get("http://127.0.0.1:" + proxyPort + "/things?q=1", "X-Request-Id", requestId).statusCode())
        .isEqualTo(200);
    ILoggingEvent event = LINES.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("an access-log line within 10 s").isNotNull();
    return event;
  }

  /** The encoder a production logback file gives its STDOUT appender, configured by logback from that file. */
  @SuppressWarnings("unchecked")
  private static Encoder<ILoggingEvent> encoder(String resource) throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(AccessLogTest.class.getClassLoader().getResource(resource));
    var appender = (OutputStreamAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME)
        .getAppender("STDOUT");
    assertThat(context.getLogger("harp.access").getAppender("ACCESS")).as("harp.access routed through the async "
        + "appender in " + resource).isNotNull();
    return appender.getEncoder();
  }

  /** logback's JsonEncoder writes key-values as {@code "kvpList": [{"key": "value"}, ...]}. */
  private static String kv(JsonNode line, String key) {
    for (JsonNode pair : line.path("kvpList")) {
      if (pair.has(key)) {
        return pair.get(key).asText();
      }
    }
    throw new AssertionError("no key-value " + key + " in " + line);
  }
}
