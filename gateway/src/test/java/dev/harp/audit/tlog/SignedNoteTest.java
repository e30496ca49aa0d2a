package dev.harp.audit.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** signed-note parsing: what C2SP's signed-note.md requires of the format, and what breaks it. */
class SignedNoteTest {

  private static final String LINE = "\u2014 example.com/foo "
      + "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

  @Test
  void unknownSignaturesAreKept() throws ProofException {
    SignedNote note = SignedNote.parse("text\n\n" + LINE + "\u2014 someone.else AAAAAQI=\n");

    assertThat(note.signatures()).extracting(NoteSignature::name).containsExactly("example.com/foo", "someone.else");
    assertThat(note.signatures().get(1).keyId()).isEqualTo(1);
    assertThat(note.signatures().get(1).signature()).containsExactly(2);
  }

  @Test
  void malformedNotesSayWhy() {
    assertRefused("text\n" + LINE, "no blank line");
    assertRefused("text\n\n", "no signature lines");
    assertRefused("text\n\n" + LINE.strip(), "does not end in a newline");
    assertRefused("text\n\n- example.com/foo AAAAAQI=\n", "em dash");
    assertRefused("text\n\n\u2014 example.com/foo\n", "signature line 1");
    assertRefused("text\n\n" + LINE + "\u2014 bad+name AAAAAQI=\n", "signature line 2");
    assertRefused("text\n\n\u2014 example.com/foo not*base64\n", "not base64");
    assertRefused("text\n\n\u2014 example.com/foo AAAA\n", "too few");
    assertRefused("te\rxt\n\n" + LINE, "U+000D");
    assertRefused("text\n\n" + LINE + LINE.replace("\n", "") + " \n", "signature line 2");
    assertRefused("text\n\n" + String.join("", Collections.nCopies(SignedNote.MAX_SIGNATURES + 1, LINE)),
        "more than the " + SignedNote.MAX_SIGNATURES);
  }

  @Test
  void aNoteNeedsTextEndingInANewlineAndASignatureToEncode() {
    assertThatThrownBy(() -> new SignedNote("no newline", List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SignedNote("text\n", List.of()).encode()).isInstanceOf(IllegalStateException.class);
  }

  private static void assertRefused(String note, String reason) {
    assertThatThrownBy(() -> SignedNote.parse(note)).isInstanceOf(ProofException.class).hasMessageContaining(reason);
  }
}
