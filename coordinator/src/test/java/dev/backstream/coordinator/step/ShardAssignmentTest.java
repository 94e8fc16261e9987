package dev.backstream.coordinator.step;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ShardAssignmentTest {
  private static TreeSet<Integer> shards(Integer... k) {
    return new TreeSet<>(List.of(k));
  }

  @Test
  void twoWorkersTakeAlignedHalves() {
    String[] owners = new String[4];
    ShardAssignment.assign(shards(0, 1, 2, 3), List.of("a", "b"), 0, owners);
    assertThat(owners).containsExactly("a", "a", "b", "b");
  }

  @Test
  void moreWorkersThanShardsLeavesSomeIdle() {
    String[] owners = new String[2];
    ShardAssignment.assign(shards(0, 1), List.of("a", "b", "c"), 0, owners);
    assertThat(owners).containsExactly("a", "b");
  }

  @Test
  void rotationMovesLateShardsToOtherWorkers() {
    String[] owners = {"a", "a", "b", "b"};
    ShardAssignment.assign(shards(0, 1), List.of("a", "b"), 1, owners);
    assertThat(owners).containsExactly("b", "a", "b", "b");
  }

  @Test
  void needsAWorker() {
    assertThatThrownBy(() -> ShardAssignment.assign(shards(0), List.of(), 0, new String[1]))
        .hasMessageContaining("no live workers");
  }
}
