package dev.backstream.common.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstream.common.nn.Dtype;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardTreeTest {

  @Test
  void addsFourShardsAsTwoPairs() {
    // chosen so that the order of addition shows in the bits (1 is below half an ulp of 1e16):
    // pairwise gives 0, left to right gives 1
    double[][] g = {{1e16}, {1}, {-1e16}, {1}};
    double pairwise = (1e16 + 1) + (-1e16 + 1);
    double leftToRight = ((1e16 + 1) + -1e16) + 1;
    assertThat(pairwise).isNotEqualTo(leftToRight);
    assertThat(new ShardTree(4).reduceLeaves(g)).containsExactly(pairwise);
  }

  @Test
  void aFloat32TreeAddsInFloat() {
    // 1 + 2^-24 is a double but not a float: float addition rounds it back to 1 (to even)
    double tiny = 0x1p-24;
    double[][] g = {{1}, {tiny}, {0}};
    assertThat(new ShardTree(3, Dtype.FLOAT32).reduceLeaves(g)).containsExactly(1.0);
    assertThat(new ShardTree(3).reduceLeaves(g)).containsExactly(1 + tiny);
    float a = 0.1f;
    float b = 0.2f;
    float c = 0.3f;
    assertThat(new ShardTree(3, Dtype.FLOAT32).reduceLeaves(new double[][] {{a}, {b}, {c}}))
        .containsExactly((a + b) + c);
  }

  @Test
  void carriesTheOddOneUpUnchanged() {
    double a = 0.1;
    double b = 0.2;
    double c = 0.3;
    assertThat(new ShardTree(3).reduceLeaves(new double[][] {{a}, {b}, {c}}))
        .containsExactly((a + b) + c);
    assertThat(new ShardTree(5).reduceLeaves(new double[][] {{a}, {b}, {c}, {a}, {b}}))
        .containsExactly(((a + b) + (c + a)) + b);
  }

  @Test
  void leavesTheInputsAlone() {
    double[][] g = {{1, 2}, {3, 4}, {5, 6}};
    new ShardTree(3).reduceLeaves(g);
    assertThat(g[0]).containsExactly(1, 2);
    assertThat(g[1]).containsExactly(3, 4);
  }

  @Test
  void aSpanWhoseEndWouldWrapIsRefused() {
    assertThatThrownBy(() -> new ShardSpan(Integer.MAX_VALUE, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ends past");
    assertThat(new ShardSpan(Integer.MAX_VALUE - 1, 1).end()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void maximalNodesAreWhatAHolderOfThoseShardsSends() {
    ShardTree tree = new ShardTree(4);
    assertThat(tree.maximalNodes(Set.of(0, 1, 2, 3))).containsExactly(new ShardSpan(0, 4));
    assertThat(tree.maximalNodes(Set.of(0, 1))).containsExactly(new ShardSpan(0, 2));
    assertThat(tree.maximalNodes(Set.of(1, 2)))
        .containsExactly(ShardSpan.leaf(1), ShardSpan.leaf(2));
    assertThat(new ShardTree(3).maximalNodes(Set.of(2))).containsExactly(ShardSpan.leaf(2));
  }

  /** The guarantee in miniature: any split into subtrees gives the bits of all leaves. */
  @Test
  void everySplitIntoSubtreesGivesTheSameBits() {
    Random random = new Random(345);
    for (int shards = 1; shards <= 9; shards++) {
      ShardTree tree = new ShardTree(shards);
      double[][] leaves = new double[shards][16];
      for (double[] leaf : leaves) {
        for (int i = 0; i < leaf.length; i++) {
          leaf[i] = random.nextGaussian() * Math.pow(10, random.nextInt(12));
        }
      }
      double[] expected = tree.reduceLeaves(leaves);
      for (int mask = 0; mask < (1 << shards); mask++) {
        // shards in the mask are held by one process, the rest arrive one by one
        Set<Integer> held = new java.util.HashSet<>();
        for (int k = 0; k < shards; k++) {
          if ((mask & (1 << k)) != 0) {
            held.add(k);
          }
        }
        Map<ShardSpan, double[]> parts = new HashMap<>();
        Map<ShardSpan, double[]> leafParts = new HashMap<>();
        for (int k = 0; k < shards; k++) {
          leafParts.put(ShardSpan.leaf(k), leaves[k]);
          if (!held.contains(k)) {
            parts.put(ShardSpan.leaf(k), leaves[k]);
          }
        }
        for (ShardSpan node : tree.maximalNodes(held)) {
          parts.put(node, tree.sum(node, leafParts));
        }
        assertThat(tree.reduce(parts)).as("shards %d, held %s", shards, held).containsExactly(expected);
      }
    }
  }

  @Test
  void coverageNeedsDisjointNodesOverEveryShard() {
    ShardTree tree = new ShardTree(4);
    assertThat(tree.covers(List.of(new ShardSpan(0, 2), ShardSpan.leaf(2), ShardSpan.leaf(3)))).isTrue();
    assertThat(tree.covers(List.of(new ShardSpan(0, 2), ShardSpan.leaf(2)))).isFalse();
    assertThat(tree.covers(List.of(new ShardSpan(0, 2), ShardSpan.leaf(1), new ShardSpan(2, 2)))).isFalse();
    // shards 1..2 are not a node of the 4-shard tree
    assertThat(tree.isNode(new ShardSpan(1, 2))).isFalse();
    assertThat(tree.covers(List.of(ShardSpan.leaf(0), new ShardSpan(1, 2), ShardSpan.leaf(3)))).isFalse();
  }

  @Test
  void rejectsAnIncompleteSet() {
    assertThatThrownBy(() -> new ShardTree(2).reduce(Map.of(ShardSpan.leaf(0), new double[1])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not disjoint nodes covering all 2 shards");
  }
}
