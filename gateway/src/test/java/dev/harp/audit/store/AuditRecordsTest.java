package dev.harp.audit.store;

import dev.harp.audit.store.AuditRecord.BodyCapture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The canonical encoding v1, pinned byte for byte: docs/audit-record.md promises exactly this to verifiers. */
class AuditRecordsTest {

  private static final AuditRecord SMALL = new AuditRecord(1_780_000_000_123L, "n1", "api", "r1", "POST", "/a", null,
      "10.0.0.1", "HTTP/1.1", 201, null, "u", 1_500, 2,
      new String[] {"Host", "h", "X-Note", "a\"b\\c\n\u0001\u00e9\uD83D\uDE00\u007f"}, null,
      new BodyCapture("hi".getBytes(StandardCharsets.UTF_8), 10, true), null);

  @Test
  void encodesTheDocumentedExample() {
    String text = new String(AuditRecords.encode(SMALL, 7), StandardCharsets.UTF_8);

    assertThat(text).isEqualTo("{\"bytesOut\":2,\"client\":\"10.0.0.1\",\"durationUs\":1500,"
        + "\"httpVersion\":\"HTTP/1.1\",\"i\":7,\"method\":\"POST\",\"node\":\"n1\",\"path\":\"/a\",\"proxy\":\"api\","
        + "\"request\":{\"body\":{\"kept\":2,"
        + "\"sha256\":\"8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4\",\"size\":10,"
        + "\"truncated\":true},\"headers\":[[\"Host\",\"h\"],"
        + "[\"X-Note\",\"a\\\"b\\\\c\\n\\u0001\u00e9\uD83D\uDE00\u007f\"]]},"
        + "\"requestId\":\"r1\",\"response\":{\"headers\":[]},\"status\":201,\"ts\":1780000000123,\"upstream\":\"u\","
        + "\"v\":1}");
  }

  @Test
  void keysAreSortedAtEveryLevelAndNullsLeftOut() {
    JsonObject parsed = new JsonObject(new String(AuditRecords.encode(AuditFixtures.typical(1, 42), 3),
        StandardCharsets.UTF_8));

    assertSorted(parsed);
    assertThat(parsed.fieldNames()).doesNotContain("failure").contains("query", "request", "response");
    assertThat(parsed.getJsonObject("request").getJsonArray("headers").getJsonArray(0))
        .isEqualTo(new JsonArray().add("Host").add("api.example.com"));
  }

  @Test
  void aLoneSurrogateBecomesTheReplacementCharacterSoTextAndBytesRoundTrip() {
    AuditRecord r = new AuditRecord(0, "n", null, null, "GET", "/\uD800x", null, null, null, 0, "client-aborted", null,
        0, 0, null, null, null, null);

    byte[] bytes = AuditRecords.encode(r, 0);
    String text = new String(bytes, StandardCharsets.UTF_8);

    assertThat(text).contains("\"path\":\"/\uFFFDx\"").contains("\"failure\":\"client-aborted\"");
    assertThat(text.getBytes(StandardCharsets.UTF_8)).isEqualTo(bytes);
  }

  @Test
  void anEmptyCaptureStillNamesItsDigest() {
    AuditRecord r = new AuditRecord(0, "n", null, null, "GET", "/", null, null, null, 204, null, null, 0, 0, null,
        null, null, new BodyCapture(new byte[0], 0, false));

    assertThat(new String(AuditRecords.encode(r, 0), StandardCharsets.UTF_8)).contains("\"response\":{\"body\":{"
        + "\"kept\":0,\"sha256\":\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\",\"size\":0,"
        + "\"truncated\":false},\"headers\":[]}");
  }

  @Test
  void malformedInputFailsWhereItIsBuilt() {
    assertThatThrownBy(() -> new AuditRecord(0, "n", null, null, "GET", "/", null, null, null, 200, null, null, 0, 0,
        new String[] {"Host"}, null, null, null)).hasMessageContaining("name/value pairs");
    assertThatThrownBy(() -> new BodyCapture(new byte[4], 3, false)).hasMessageContaining("less than");
  }

  private static void assertSorted(JsonObject o) {
    List<String> names = new ArrayList<>(o.fieldNames());
    assertThat(names).isSortedAccordingTo(String::compareTo);
    for (String name : names) {
      if (o.getValue(name) instanceof JsonObject child) {
        assertSorted(child);
      }
    }
  }
}
