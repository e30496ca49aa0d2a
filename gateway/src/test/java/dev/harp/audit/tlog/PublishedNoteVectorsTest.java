package dev.harp.audit.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signed notes, keys, checkpoints and cosignatures as published by others; each test says where from. */
class PublishedNoteVectorsTest {

  // C2SP signed-note.md, "Verifier keys" > "Example" (C2SP/C2SP at 5ba5ee830903e91240fc6f9f3a7a9293d49e69c9).
  private static final String C2SP_VKEY = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
  private static final String C2SP_NOTE = "This is an example message.\n\n"
      + "\u2014 example.com/foo "
      + "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

  // golang.org/x/mod, sumdb/note/example_test.go, ExampleSign and ExampleOpen (go.googlesource.com/mod).
  private static final String GO_SKEY =
      "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
  private static final String GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  private static final String GO_TEXT = "If you think cryptography is the answer to your problem,\n"
      + "then you don't know what your problem is.\n";
  private static final String GO_NOTE = GO_TEXT + "\n"
      + "\u2014 PeterNeumann "
      + "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

  // C2SP tlog-checkpoint.md, the example at the top; tlog-cosignature.md adds a witness's cosignature to it.
  private static final String SOFA_BODY = "example.com/behind-the-sofa\n20852163\n"
      + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
  private static final String SOFA_LOG_LINE = "\u2014 example.com/behind-the-sofa "
      + "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";
  private static final String SOFA_WITNESS_LINE = "\u2014 witness.example.com/w1 "
      + "jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==\n";

  // florolf/tlog-scales, tests/test_signing.py, TestCheckpointSigning: a real checkpoint of the staging CT log
  // arche2025h1, signed by the log (an RFC 6962 and an Ed25519 signature) and cosigned by four witnesses, with the
  // log's vkey and the cosignature/v1 vkey of the witness remora.n621.de.
  private static final String ARCHE_NOTE = "arche2025h1.staging.ct.transparency.dev\n1432088532\n"
      + "U7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro=\n\n"
      + "\u2014 arche2025h1.staging.ct.transparency.dev "
      + "zTM8sQAAAZ5W0WdjBAMARjBEAiBjW5IQf9pvsYLfQFX6hoGREPMHbdQ3urbllzalApkptQIgIpwtEroeW2BXaHAI4kJXFbon5C"
      + "h9MNL5zRNZ55lvGt0=\n"
      + "\u2014 arche2025h1.staging.ct.transparency.dev "
      + "ui8GwCF1+kWqZrxGdhj4aX3gcw7XUlXQQabg/27lefwhUkzbC3NygNI75MdhL1bfTW9g8Ei59RA23oHP7Ry1k3ZFWwQ=\n"
      + "\u2014 transparency.dev/DEV:witness-little-garden "
      + "2AQqhwAAAABqEiEgzgFIqqhbUoDwjMWE6UP8nd8/KYTzwZ2rhIgcqoXHAwVkjZr4AscylP3v7sEodkRAErumC2q44vdgJY096st5BQ==\n"
      + "\u2014 witness1.smartit.nu/witness1 "
      + "pIyCDwAAAABqEiEghIp82KWebrw7/oHQwlTAm3g2RKS4+eebl8eO0WH+/iEcxZ75W3u5hNI7TOQtmJbqmNWVuE0tgh0XwzdZsDsUAQ==\n"
      + "\u2014 remora.n621.de "
      + "2net5wAAAABqEiEgPlfF3V06o0Y+fHM+J5J9s27wgxxcOVSpZ/2g/KSiXCg9DEZI+aVCIobWX9sXTynk5XeU/zZ0WBxtqB0DrAWfBw==\n"
      + "\u2014 witness.stagemole.eu "
      + "Z/euoAAAAABqEiEgw0i+7g2ENfDAWHmtRzCfKTHSDwYDJA2NmKeGi9Y8FtEyOUvVr+AJmIY/2TUFucgKi7lI7cUiOvKFYe/TmN9DAg==\n";
  private static final String ARCHE_VKEY =
      "arche2025h1.staging.ct.transparency.dev+ba2f06c0+AU0vHmlGCS/PdN8b2OaGmKprLI8HKM+dJ472xgFYh15f";
  private static final String REMORA_VKEY = "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";

  @Test
  void c2spExampleKeyVerifiesTheC2spExampleNote() throws ProofException {
    NoteVerifier verifier = NoteVerifier.parse(C2SP_VKEY);
    SignedNote note = SignedNote.parse(C2SP_NOTE);

    assertThat(verifier.name()).isEqualTo("example.com/foo");
    assertThat(verifier.keyId()).isEqualTo(0x530d903a);
    assertThat(verifier.role()).isEqualTo(NoteSigner.Role.LOG);
    assertThat(verifier.encode()).isEqualTo(C2SP_VKEY);
    assertThat(note.text()).isEqualTo("This is an example message.\n");
    assertThat(note.signatures()).singleElement().satisfies(sig -> {
      assertThat(sig.name()).isEqualTo("example.com/foo");
      assertThat(sig.keyId()).isEqualTo(0x530d903a);
      assertThat(verifier.verify(note.text(), sig)).isTrue();
      assertThat(verifier.verify("This is an example message!\n", sig)).isFalse();
    });
    assertThat(note.encode()).isEqualTo(C2SP_NOTE);
  }

  @Test
  void c2spNoteWithBlankLinesInItsTextSplitsAtTheLastOne() throws ProofException {
    // C2SP signed-note.md, the example at the top (no key is published for it).
    String quasimodo = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n"
        + "\ned \u00e8 subito sera.\n\n"
        + "\u2014 quasimodo.example/salvatore "
        + "NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";

    SignedNote note = SignedNote.parse(quasimodo);

    assertThat(note.text()).isEqualTo(
        "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned \u00e8 subito sera.\n");
    assertThat(note.signatures()).singleElement().satisfies(sig -> {
      assertThat(sig.name()).isEqualTo("quasimodo.example/salvatore");
      assertThat(sig.keyId()).isEqualTo(0x367ba04b);
      assertThat(sig.signature()).hasSize(64);
    });
    assertThat(note.encode()).isEqualTo(quasimodo);
  }

  @Test
  void goSumdbPrivateKeyReproducesTheGoSignedNote() throws ProofException {
    NoteSigner signer = NoteSigner.parse(GO_SKEY);

    assertThat(signer.name()).isEqualTo("PeterNeumann");
    assertThat(signer.role()).isEqualTo(NoteSigner.Role.LOG);
    assertThat(signer.encode()).isEqualTo(GO_SKEY);
    assertThat(signer.verifier().encode()).isEqualTo(GO_VKEY);
    // Ed25519 is deterministic: the same key and text give the published signature byte for byte.
    assertThat(new SignedNote(GO_TEXT, List.of(signer.sign(GO_TEXT))).encode()).isEqualTo(GO_NOTE);

    SignedNote published = SignedNote.parse(GO_NOTE);
    assertThat(NoteVerifier.parse(GO_VKEY).verify(published.text(), published.signatures().get(0))).isTrue();
  }

  @Test
  void c2spCheckpointExampleParsesToItsThreeLines() throws ProofException {
    Checkpoint checkpoint = Checkpoint.parse(SignedNote.parse(SOFA_BODY + "\n" + SOFA_LOG_LINE).text());

    assertThat(checkpoint.origin()).isEqualTo("example.com/behind-the-sofa");
    assertThat(checkpoint.size()).isEqualTo(20852163L);
    assertThat(checkpoint.rootHash()).hasSize(32);
    assertThat(checkpoint.extensions()).isEmpty();
    assertThat(checkpoint.body()).isEqualTo(SOFA_BODY);
  }

  @Test
  void c2spCosignatureExampleCarriesTheTimeOfItsSignedMessageExample() throws ProofException {
    SignedNote note = SignedNote.parse(SOFA_BODY + "\n" + SOFA_LOG_LINE + SOFA_WITNESS_LINE);

    assertThat(note.signatures()).hasSize(2);
    NoteSignature cosignature = note.signatures().get(1);
    assertThat(cosignature.name()).isEqualTo("witness.example.com/w1");
    assertThat(cosignature.keyId()).isEqualTo(0x8d66cf3f);
    assertThat(cosignature.signature()).hasSize(8 + 64);
    // tlog-cosignature.md, "Ed25519 signed message": the message this cosignature signs, with this very time.
    assertThat(NoteVerifier.cosignatureTime(cosignature)).isEqualTo(1679315147L);
    assertThat(new String(CosignatureV1.message(note.text(), 1679315147L), StandardCharsets.UTF_8))
        .isEqualTo("cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\n"
            + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  }

  @Test
  void realCheckpointVerifiesWithTheLogKeyAndAWitnessCosignature() throws ProofException {
    SignedNote note = SignedNote.parse(ARCHE_NOTE);
    NoteVerifier log = NoteVerifier.parse(ARCHE_VKEY);
    NoteVerifier witness = NoteVerifier.parse(REMORA_VKEY);

    assertThat(log.role()).isEqualTo(NoteSigner.Role.LOG);
    assertThat(witness.role()).isEqualTo(NoteSigner.Role.COSIGNER);
    assertThat(note.signatures()).hasSize(6);
    assertThat(note.signatures()).filteredOn(sig -> log.verify(note.text(), sig)).singleElement()
        .satisfies(sig -> assertThat(sig.keyId()).isEqualTo(0xba2f06c0));
    assertThat(note.signatures()).filteredOn(sig -> witness.verify(note.text(), sig)).singleElement()
        .satisfies(sig -> assertThat(NoteVerifier.cosignatureTime(sig)).isEqualTo(0x6a122120L));

    // The same signatures over a checkpoint claiming another size: none verifies (tlog-scales clobbers the size).
    String otherSize = note.text().replace("\n1432088532\n", "\n42\n");
    assertThat(note.signatures()).noneMatch(sig -> log.verify(otherSize, sig) || witness.verify(otherSize, sig));
    Checkpoint checkpoint = Checkpoint.parse(note.text());
    assertThat(checkpoint.size()).isEqualTo(1432088532L);
    assertThat(checkpoint.body()).isEqualTo(note.text());
  }

  @Test
  void transparencyDevCosignatureTimestamps() throws ProofException {
    // transparency-dev/formats, note/note_cosigv1_test.go, TestCoSigV1Timestamp: "works" and "wrong type of signature".
    SignedNote note = SignedNote.parse("x\n\n"
        + "\u2014 w "
        + "ZGhGuQAAAABm/qTPeyKXD+R2rzyQsxPiP8mXum7qq/iF0u4vanlqJyocWODBt97w9uL+8qT7S5gxEHWWOworDcFiEBYJXORmnFBOBA==\n"
        + "\u2014 w eQjRQm6eSKzFoiYalgwCPXu2y3ijtg68is9M46JKxuZB+dRfTmeQeDBoXnvxZx2ugnkyV+MUMLXpWs1hPb/W/4xkNQY=\n");

    assertThat(NoteVerifier.cosignatureTime(note.signatures().get(0))).isEqualTo(1727964367L);
    assertThat(note.signatures().get(1).signature()).as("a plain Ed25519 signature, no timestamp").hasSize(64);
  }

  @Test
  void transparencyDevVerifierKeys() {
    // transparency-dev/formats, note/note_cosigv1_test.go, TestCoSigV1NewVerifier: the Ed25519 rows.
    assertThatParses("TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6", NoteSigner.Role.LOG);
    assertThatParses(REMORA_VKEY, NoteSigner.Role.COSIGNER);
    assertThatThrownBy(() -> NoteVerifier.parse("bananas.sigstore.dev+12344556"))
        .isInstanceOf(ProofException.class).hasMessageContaining("<name>+<key id>+<key>");
    assertThatThrownBy(() -> NoteVerifier.parse("rekor.sigstore.dev+12345678+THIS_IS_NOT_BASE64!"))
        .isInstanceOf(ProofException.class).hasMessageContaining("rekor.sigstore.dev");
    assertThatThrownBy(() -> NoteVerifier.parse("rekor.sigstore.dev+12345678+AwEB"))
        .isInstanceOf(ProofException.class).hasMessageContaining("0x03");
    // Ours: the published Go key with a key id that does not match it.
    assertThatThrownBy(() -> NoteVerifier.parse(GO_VKEY.replace("c74f20a3", "00000000")))
        .isInstanceOf(ProofException.class).hasMessageContaining("key id 00000000 does not match");
  }

  private static void assertThatParses(String vkey, NoteSigner.Role role) {
    try {
      NoteVerifier verifier = NoteVerifier.parse(vkey);
      assertThat(verifier.role()).isEqualTo(role);
      assertThat(verifier.encode()).isEqualTo(vkey);
    } catch (ProofException e) {
      throw new AssertionError(vkey + ": " + e.getMessage(), e);
    }
  }
}
