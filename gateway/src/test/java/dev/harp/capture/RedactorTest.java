package dev.harp.capture;

import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What the detail view may show of a captured exchange: named fields and every secret value are redacted. */
class RedactorTest {

  private static final CaptureSettings SETTINGS = new CaptureSettings(1024, Set.of("X-Internal-Token"),
      Set.of("pin"));

  @Test
  void credentialHeadersAreRedactedAlwaysAndConfiguredOnesToo() {
    Redactor r = new Redactor(Redactor.Rules.of(SETTINGS), new String[] {"Authorization", "Bearer abc.def.ghi", "Cookie",
        "sid=cookie-value-1; theme=dark", "X-Internal-Token", "tok-123456", "Accept", "application/json"},
        new String[] {"Set-Cookie", "sid=new-session-9; HttpOnly"}, List.of("injected-upstream-key"));
    JsonArray headers = r.headers(new String[] {"Authorization", "Bearer abc.def.ghi", "Cookie", "sid=x",
        "X-Internal-Token", "tok-123456", "Accept", "application/json", "Referer", "https://x/?t=abc.def.ghi"});
    assertThat(headers.encode()).doesNotContain("abc.def.ghi").doesNotContain("tok-123456")
        .contains("[\"Accept\",\"application/json\"]").contains("[\"Authorization\",\"[REDACTED]\"]")
        .contains("https://x/?t=[REDACTED]");
    // Every cookie value counts as a secret, even a harmless looking one: HARP cannot tell which is the session.
    assertThat(r.text("echo: Bearer abc.def.ghi cookie-value-1 new-session-9 injected-upstream-key dark hello"))
        .isEqualTo("echo: [REDACTED] [REDACTED] [REDACTED] [REDACTED] [REDACTED] hello");
  }

  @Test
  void basicCredentialsAreScrubbedInEveryForm() {
    Redactor r = new Redactor(Redactor.Rules.of(SETTINGS), new String[] {"Authorization", "Basic YWxpY2U6b3BlbnNlc2FtZQ=="},
        null, null);
    assertThat(r.text("YWxpY2U6b3BlbnNlc2FtZQ== alice:opensesame opensesame")).doesNotContain("opensesame")
        .doesNotContain("YWxpY2U6");
  }

  @Test
  void jsonAndFormFieldsAreRedactedEvenEscapedOrCutByTheCap() {
    Redactor r = new Redactor(Redactor.Rules.of(SETTINGS), null, null, null);
    assertThat(r.text("{\"user\":\"ann\",\"password\":\"hunter22\",\"pin\":1234,\"Token\":\"t-1\"}"))
        .isEqualTo("{\"user\":\"ann\",\"password\":\"[REDACTED]\",\"pin\":\"[REDACTED]\",\"Token\":\"[REDACTED]\"}");
    assertThat(r.text("{\"body\":\"{\\\"password\\\":\\\"hunter22\\\"}\"}"))
        .isEqualTo("{\"body\":\"{\\\"password\\\":\\\"[REDACTED]\\\"}\"}");
    assertThat(r.text("{\"a\":1,\"secret\":\"cut-by-the-c")).isEqualTo("{\"a\":1,\"secret\":\"[REDACTED]\"");
    assertThat(r.text("user=ann&password=hunter22&x=1")).isEqualTo("user=ann&password=[REDACTED]&x=1");
    // A redacted field's value is a secret from then on: an echo of it elsewhere is scrubbed.
    assertThat(r.text("you sent hunter22")).isEqualTo("you sent [REDACTED]");
  }
}
