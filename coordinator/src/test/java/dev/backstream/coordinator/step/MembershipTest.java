package dev.backstream.coordinator.step;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MembershipTest {
  private final Membership members = new Membership(1_000);

  @Test
  void aWorkerIsLiveUntilSilentForTheTimeout() {
    assertThat(members.seen("b", 0)).isTrue();
    assertThat(members.seen("a", 500)).isTrue();
    assertThat(members.seen("a", 600)).isFalse();
    assertThat(members.live(900)).containsExactly("a", "b");
    assertThat(members.live(1_200)).containsExactly("a");
    assertThat(members.isLive("b", 1_200)).isFalse();
  }

  @Test
  void aGoodbyeRemovesAtOnce() {
    members.seen("a", 0);
    assertThat(members.left("a")).isTrue();
    assertThat(members.live(1)).isEmpty();
    assertThat(members.left("a")).isFalse();
  }
}
