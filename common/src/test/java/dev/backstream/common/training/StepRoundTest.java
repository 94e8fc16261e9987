package dev.backstream.common.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.common.nn.FlatVector;
import dev.backstream.common.protocol.Admission;
import dev.backstream.common.protocol.RejectReason;
import org.junit.jupiter.api.Test;

class StepRoundTest {
  private final StepRound round = new StepRound(7, new ShardTree(4));

  @Test
  void completesWhenEveryShardIsCovered() {
    assertThat(round.offer(new ShardSpan(0, 2), FlatVector.float64(1), 50, 5.0, 40)).isEqualTo(Admission.ADMITTED);
    assertThat(round.complete()).isFalse();
    assertThat(round.missingShards()).containsExactly(2, 3);
    round.offer(ShardSpan.leaf(3), FlatVector.float64(4), 25, 1.0, 20);
    round.offer(ShardSpan.leaf(2), FlatVector.float64(2), 25, 1.0, 20);
    assertThat(round.complete()).isTrue();
    assertThat(round.reduce().doubles()).containsExactly(1 + (2 + 4.0));
    assertThat(round.samples()).isEqualTo(100);
    assertThat(round.lossSum()).isEqualTo(7.0);
    assertThat(round.correct()).isEqualTo(80);
  }

  @Test
  void keepsTheFirstAndDropsWhatLiesInsideAKeptNode() {
    round.offer(new ShardSpan(0, 2), FlatVector.float64(1), 50, 1, 1);
    assertThat(round.offer(new ShardSpan(0, 2), FlatVector.float64(9), 50, 1, 1)).hasFieldOrPropertyWithValue("reason", RejectReason.DUPLICATE);
    assertThat(round.offer(ShardSpan.leaf(1), FlatVector.float64(9), 25, 1, 1)).hasFieldOrPropertyWithValue("reason", RejectReason.DUPLICATE);
    assertThat(round.samples()).isEqualTo(50);
  }

  @Test
  void aNodeHoldingKeptOnesReplacesThem() {
    // leaf 0 came here before a reducer of shards 0..1 went live; its sum then stands for both
    round.offer(ShardSpan.leaf(0), FlatVector.float64(1), 25, 2.0, 10);
    assertThat(round.offer(new ShardSpan(0, 2), FlatVector.float64(3), 50, 5.0, 30))
        .isEqualTo(Admission.ADMITTED);
    assertThat(round.offer(ShardSpan.leaf(1), FlatVector.float64(9), 25, 1, 1)).hasFieldOrPropertyWithValue("reason", RejectReason.DUPLICATE);
    assertThat(round.missingShards()).containsExactly(2, 3);
    round.offer(new ShardSpan(2, 2), FlatVector.float64(4), 50, 1.0, 20);
    assertThat(round.complete()).isTrue();
    assertThat(round.reduce().doubles()).containsExactly(3 + 4.0);
    assertThat(round.samples()).isEqualTo(100);
    assertThat(round.lossSum()).isEqualTo(6.0);
    assertThat(round.correct()).isEqualTo(50);
  }

  @Test
  void rejectsSpansThatAreNotNodes() {
    assertThat(round.offer(new ShardSpan(1, 2), FlatVector.float64(1), 50, 1, 1)).hasFieldOrPropertyWithValue("reason", RejectReason.BAD_SHARD);
    assertThat(round.offer(ShardSpan.leaf(4), FlatVector.float64(1), 25, 1, 1)).hasFieldOrPropertyWithValue("reason", RejectReason.BAD_SHARD);
    assertThat(round.missingShards()).containsExactly(0, 1, 2, 3);
  }

  @Test
  void addsLossSumsInTheTreesOrderWhateverOrderTheyCameIn() {
    // values whose sum depends on the order of addition
    double[] losses = {1.0, 1e16, 1.0, -1e16};
    double treeOrder = (losses[0] + losses[1]) + (losses[2] + losses[3]);
    double arrivalOrder = ((losses[3] + losses[2]) + losses[1]) + losses[0];
    assertThat(treeOrder).as("the values must tell the orders apart").isNotEqualTo(arrivalOrder);

    for (int k = 3; k >= 0; k--) {
      round.offer(ShardSpan.leaf(k), FlatVector.float64(0), 25, losses[k], 0);
    }
    assertThat(round.lossSum()).isEqualTo(treeOrder);
  }
}
