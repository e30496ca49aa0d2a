package dev.harp.engine;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An exchange's phases only move forward, along the two paths the engine has (forwarded, tunnelled). */
class PhaseTest {

  @Test
  void aForwardedExchangeGoesRequestAttemptRelayDone() {
    assertThat(Phase.REQUEST.mayEnter(Phase.ATTEMPT)).isTrue();
    assertThat(Phase.ATTEMPT.mayEnter(Phase.RELAY)).isTrue();
    assertThat(Phase.RELAY.mayEnter(Phase.DONE)).isTrue();
  }

  @Test
  void aTunnelGoesRequestUpgradeDone() {
    assertThat(Phase.REQUEST.mayEnter(Phase.UPGRADE)).isTrue();
    assertThat(Phase.UPGRADE.mayEnter(Phase.DONE)).isTrue();
  }

  @Test
  void everyPhaseButDoneMayEndAtOnce() {
    for (Phase p : Phase.values()) {
      assertThat(p.mayEnter(Phase.DONE)).as(p.name()).isEqualTo(p != Phase.DONE);
    }
  }

  @Test
  void nothingGoesBackOrSideways() {
    assertThat(Phase.ATTEMPT.mayEnter(Phase.REQUEST)).isFalse();
    assertThat(Phase.ATTEMPT.mayEnter(Phase.ATTEMPT)).as("a second forwarding of one exchange").isFalse();
    assertThat(Phase.RELAY.mayEnter(Phase.ATTEMPT)).as("a retry after a byte went to the client").isFalse();
    assertThat(Phase.UPGRADE.mayEnter(Phase.RELAY)).isFalse();
    assertThat(Phase.ATTEMPT.mayEnter(Phase.UPGRADE)).isFalse();
    for (Phase p : Phase.values()) {
      assertThat(Phase.DONE.mayEnter(p)).as("DONE -> " + p).isFalse();
    }
  }
}
