package dev.harp.audit.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** tlog-checkpoint bodies: C2SP's tlog-checkpoint.md rules for the note text. */
class CheckpointTest {

  private static final String ROOT = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";

  @Test
  void extensionLinesAndTheEmptyTree() throws ProofException {
    Checkpoint withExtensions = Checkpoint.parse("harp.example/audit\n7\n" + ROOT + "\nfirst ext\nsecond\n");
    Checkpoint empty = new Checkpoint("harp.example/audit", 0, Rfc9162.emptyRoot(), List.of());

    assertThat(withExtensions.extensions()).containsExactly("first ext", "second");
    assertThat(withExtensions.body()).isEqualTo("harp.example/audit\n7\n" + ROOT + "\nfirst ext\nsecond\n");
    assertThat(Checkpoint.parse(empty.body())).isEqualTo(empty);
    assertThat(empty.body()).startsWith("harp.example/audit\n0\n");
  }

  @Test
  void malformedBodiesNameTheLine() {
    assertRefused("harp.example/audit\n7\n" + ROOT, "newline");
    assertRefused("harp.example/audit\n7\n", "fewer than");
    assertRefused("\n7\n" + ROOT + "\n", "line 1");
    assertRefused("harp.example/audit\n07\n" + ROOT + "\n", "line 2");
    assertRefused("harp.example/audit\n-7\n" + ROOT + "\n", "line 2");
    assertRefused("harp.example/audit\n99999999999999999999\n" + ROOT + "\n", "line 2");
    assertRefused("harp.example/audit\n7\nnot base64!\n", "line 3");
    assertRefused("harp.example/audit\n7\nAAAA\n", "line 3");
    assertRefused("harp.example/audit\n7\n" + ROOT.replace("=", "") + "\n", "line 3");
    assertRefused("harp.example/audit\n7\n" + ROOT + "\n\n", "line 4");
  }

  @Test
  void aCheckpointIsAValue() throws ProofException {
    Checkpoint a = Checkpoint.parse("o\n1\n" + ROOT + "\n");
    Checkpoint b = Checkpoint.parse("o\n1\n" + ROOT + "\n");

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    byte[] root = a.rootHash();
    root[0] ^= 1;
    assertThat(a.rootHash()).as("the record keeps its own copy").isNotEqualTo(root);
  }

  private static void assertRefused(String body, String line) {
    assertThatThrownBy(() -> Checkpoint.parse(body)).isInstanceOf(ProofException.class).hasMessageContaining(line);
  }
}
