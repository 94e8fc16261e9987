package dev.backstream.common.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReducerSubtreesTest {

  private static List<ShardSpan> subtrees(int shards, int reducers) {
    ReducerSubtrees s = ReducerSubtrees.of(new ShardTree(shards), reducers);
    List<ShardSpan> out = new ArrayList<>();
    for (int r = 0; r < s.count(); r++) {
      out.add(s.subtree(r));
    }
    return out;
  }

  @Test
  void twoSubtreesOfFourShardsAreTheRootsChildren() {
    // ((g0 + g1) + (g2 + g3))
    assertThat(subtrees(4, 2)).containsExactly(new ShardSpan(0, 2), new ShardSpan(2, 2));
    assertThat(subtrees(4, 1)).containsExactly(new ShardSpan(0, 4));
    assertThat(subtrees(4, 4)).containsExactly(ShardSpan.leaf(0), ShardSpan.leaf(1),
        ShardSpan.leaf(2), ShardSpan.leaf(3));
    assertThat(subtrees(4, 0)).isEmpty();
  }

  @Test
  void theWidestNodeIsSplitFirstAndACarriedOneStaysWhole() {
    // five shards: ((g0 + g1) + (g2 + g3)) + g4, the odd one carried up to the root
    assertThat(subtrees(5, 2)).containsExactly(new ShardSpan(0, 4), ShardSpan.leaf(4));
    assertThat(subtrees(5, 3)).containsExactly(new ShardSpan(0, 2), new ShardSpan(2, 2),
        ShardSpan.leaf(4));
    assertThat(subtrees(8, 3)).containsExactly(new ShardSpan(0, 2), new ShardSpan(2, 2),
        new ShardSpan(4, 4));
  }

  @Test
  void everySubtreeIsANodeAndTogetherTheyCoverTheTree() {
    for (int shards = 1; shards <= 13; shards++) {
      ShardTree tree = new ShardTree(shards);
      for (int reducers = 1; reducers <= shards; reducers++) {
        List<ShardSpan> parts = subtrees(shards, reducers);
        assertThat(parts).as("S=%d R=%d", shards, reducers).hasSize(reducers);
        assertThat(tree.covers(parts)).as("S=%d R=%d", shards, reducers).isTrue();
      }
    }
  }

  @Test
  void nodesStrictlyInsideASubtreeGoToItsPartitionTheRestToTheCoordinators() {
    ReducerSubtrees s = ReducerSubtrees.of(new ShardTree(8), 2);
    assertThat(s.partitionOf(ShardSpan.leaf(0))).isEqualTo(1);
    assertThat(s.partitionOf(new ShardSpan(2, 2))).isEqualTo(1);
    assertThat(s.partitionOf(ShardSpan.leaf(7))).isEqualTo(2);
    // a whole subtree has nothing left to add: straight to the coordinator, as is the root
    assertThat(s.partitionOf(new ShardSpan(0, 4))).isEqualTo(ReducerSubtrees.COORDINATOR_PARTITION);
    assertThat(s.partitionOf(new ShardSpan(0, 8))).isEqualTo(ReducerSubtrees.COORDINATOR_PARTITION);
    assertThat(ReducerSubtrees.of(new ShardTree(8), 0).partitionOf(ShardSpan.leaf(0)))
        .isEqualTo(ReducerSubtrees.COORDINATOR_PARTITION);
  }

  @Test
  void aTopicOfOnePartitionOrOfMoreThanTheTreeCanTakeMeansNoReducers() {
    ShardTree tree = new ShardTree(4);
    assertThat(ReducerSubtrees.forPartitions(tree, 1).count()).isZero();
    assertThat(ReducerSubtrees.forPartitions(tree, 3).count()).isEqualTo(2);
    assertThat(ReducerSubtrees.forPartitions(tree, 9).count()).isZero();
  }

  @Test
  void moreReducersThanShardsIsRefusedInOneLine() {
    assertThatThrownBy(() -> ReducerSubtrees.of(new ShardTree(4), 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid value 5 for --reducers: must be in [0, 4] (the shard count)");
  }
}
