package dev.harp.audit.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keys of our own: generated, encoded, parsed back, signing and cosigning in their roles. */
class NoteKeysTest {

  private static final String BODY = "harp.example/audit\n120\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

  @Test
  void aGeneratedLogKeyRoundTripsAndSigns() throws ProofException {
    NoteSigner signer = NoteSigner.generate("harp-node-a", NoteSigner.Role.LOG);
    NoteSigner parsed = NoteSigner.parse(signer.encode());
    NoteVerifier verifier = NoteVerifier.parse(signer.verifier().encode());

    assertThat(signer.encode()).startsWith("PRIVATE+KEY+harp-node-a+");
    assertThat(parsed).isEqualTo(signer);
    assertThat(verifier).isEqualTo(signer.verifier());
    assertThat(verifier.keyId()).isEqualTo(parsed.verifier().keyId());

    NoteSignature signature = parsed.sign(BODY);
    assertThat(verifier.verify(BODY, signature)).isTrue();
    assertThat(verifier.verify(BODY.replace("120", "121"), signature)).isFalse();
    assertThat(signer.toString()).doesNotContain("PRIVATE");
  }

  @Test
  void aCosignatureCarriesItsTimeAndSignsIt() throws ProofException {
    NoteSigner witness = NoteSigner.generate("harp-node-b", NoteSigner.Role.COSIGNER);
    NoteVerifier verifier = NoteVerifier.parse(witness.verifier().encode());

    NoteSignature cosignature = witness.cosign(BODY, 1_700_000_000L);

    assertThat(verifier.role()).isEqualTo(NoteSigner.Role.COSIGNER);
    byte[] typedKey = Base64.getDecoder().decode(verifier.encode().split("\\+", 3)[2]);
    assertThat(typedKey).hasSize(33).startsWith((byte) 0x04);
    assertThat(NoteVerifier.cosignatureTime(cosignature)).isEqualTo(1_700_000_000L);
    assertThat(verifier.verify(BODY, cosignature)).isTrue();
    assertThat(verifier.verify(BODY + "extension\n", cosignature)).as("extension lines are signed").isFalse();

    byte[] laterTime = cosignature.signature();
    laterTime[7]++;
    NoteSignature retimed = new NoteSignature(cosignature.name(), cosignature.keyId(), laterTime);
    assertThat(verifier.verify(BODY, retimed)).as("the time is signed").isFalse();
  }

  @Test
  void rolesDoNotMix() {
    NoteSigner log = NoteSigner.generate("harp-node-a", NoteSigner.Role.LOG);
    NoteSigner witness = NoteSigner.generate("harp-node-a", NoteSigner.Role.COSIGNER);

    assertThatThrownBy(() -> log.cosign(BODY, 1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> witness.sign(BODY)).isInstanceOf(IllegalStateException.class);
    // A cosignature is no plain signature, even under the same name.
    assertThat(log.verifier().verify(BODY, witness.cosign(BODY, 1))).isFalse();
    assertThat(witness.verifier().verify(BODY, log.sign(BODY))).isFalse();
  }

  @Test
  void aSignatureCountsOnlyForItsOwnNameAndKey() {
    NoteSigner a = NoteSigner.generate("harp-node-a", NoteSigner.Role.LOG);
    NoteSigner impostor = NoteSigner.generate("harp-node-a", NoteSigner.Role.LOG);
    NoteSignature signature = a.sign(BODY);

    assertThat(impostor.verifier().verify(BODY, signature)).isFalse();
    NoteSignature renamed = new NoteSignature("harp-node-z", signature.keyId(), signature.signature());
    assertThat(a.verifier().verify(BODY, renamed)).isFalse();
  }

  @Test
  void signedNotesOfOurKeysRoundTrip() throws ProofException {
    NoteSigner log = NoteSigner.generate("harp-node-a", NoteSigner.Role.LOG);
    NoteSigner witness = NoteSigner.generate("harp-node-b", NoteSigner.Role.COSIGNER);
    String note = new SignedNote(BODY, List.of(log.sign(BODY), witness.cosign(BODY, 42))).encode();

    SignedNote parsed = SignedNote.parse(note);

    assertThat(parsed.text()).isEqualTo(BODY);
    assertThat(parsed.signatures()).hasSize(2);
    assertThat(log.verifier().verify(parsed.text(), parsed.signatures().get(0))).isTrue();
    assertThat(witness.verifier().verify(parsed.text(), parsed.signatures().get(1))).isTrue();
    assertThat(parsed.encode()).isEqualTo(note);
  }

  @Test
  void malformedKeysAreRefusedWithTheReason() {
    NoteSigner signer = NoteSigner.generate("harp-node-a", NoteSigner.Role.LOG);
    String skey = signer.encode();
    String vkey = signer.verifier().encode();

    assertThatThrownBy(() -> NoteSigner.parse(vkey)).isInstanceOf(ProofException.class)
        .hasMessageContaining("PRIVATE+KEY+");
    assertThatThrownBy(() -> NoteSigner.parse(skey.replace("harp-node-a", "harp-node-b")))
        .isInstanceOf(ProofException.class).hasMessageContaining("does not match the key");
    assertThatThrownBy(() -> NoteVerifier.parse(vkey.substring(0, vkey.length() - 4)))
        .isInstanceOf(ProofException.class).hasMessageContaining("harp-node-a");
    assertThatThrownBy(() -> NoteVerifier.parse("+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"))
        .isInstanceOf(ProofException.class).hasMessageContaining("empty");
    assertThatThrownBy(() -> NoteVerifier.parse("a b+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"))
        .isInstanceOf(ProofException.class).hasMessageContaining("no spaces");
    assertThatThrownBy(() -> NoteVerifier.parse("example.com/foo+530d90+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"))
        .isInstanceOf(ProofException.class).hasMessageContaining("8 hex digits");
    assertThatThrownBy(() -> NoteSigner.generate("has+plus", NoteSigner.Role.LOG))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
