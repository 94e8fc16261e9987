package dev.backstream.common.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.FlatVector;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardTreeTest {

  private static FlatVector[] float64(double[][] leaves) {
    FlatVector[] out = new FlatVector[leaves.length];
    for (int k = 0; k < leaves.length; k++) {
      out[k] = FlatVector.float64(leaves[k]);
    }
    return out;
  }

  private static FlatVector[] float32(float[][] leaves) {
    FlatVector[] out = new FlatVector[leaves.length];
    for (int k = 0; k < leaves.length; k++) {
      out[k] = FlatVector.float32(leaves[k]);
    }
    return out;
  }

  private static double[] sum(ShardTree tree, double[][] leaves) {
    return tree.reduceLeaves(float64(leaves)).doubles();
  }

  @Test
  void addsFourShardsAsTwoPairs() {
    // chosen so that the order of addition shows in the bits (1 is below half an ulp of 1e16):
    // pairwise gives 0, left to right gives 1
    double[][] g = {{1e16}, {1}, {-1e16}, {1}};
    double pairwise = (1e16 + 1) + (-1e16 + 1);
    double leftToRight = ((1e16 + 1) + -1e16) + 1;
    assertThat(pairwise).isNotEqualTo(leftToRight);
    assertThat(sum(new ShardTree(4), g)).containsExactly(pairwise);
  }

  @Test
  void aFloat32TreeAddsInFloat() {
    // 1 + 2^-24 is a double but not a float: float addition rounds it back to 1 (to even)
    float tiny = 0x1p-24f;
    ShardTree tree32 = new ShardTree(3, Dtype.FLOAT32);
    assertThat(tree32.reduceLeaves(float32(new float[][] {{1}, {tiny}, {0}})).floats())
        .containsExactly(1f);
    assertThat(sum(new ShardTree(3), new double[][] {{1}, {tiny}, {0}})).containsExactly(1.0 + tiny);
    float a = 0.1f;
    float b = 0.2f;
    float c = 0.3f;
    assertThat(tree32.reduceLeaves(float32(new float[][] {{a}, {b}, {c}})).floats())
        .containsExactly((a + b) + c);
    // the loss sums too
    assertThat(tree32.sumScalars(tree32.root(), new double[] {1, tiny, 0})).isEqualTo(1.0);
  }

  @Test
  void aTreeRefusesSumsOfTheOtherDtype() {
    assertThatThrownBy(() -> new ShardTree(2, Dtype.FLOAT32).reduceLeaves(
            new FlatVector[] {FlatVector.float64(1), FlatVector.float64(2)}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("in a float32 tree");
  }

  /**
   * The float32 tree on float arrays gives the bits of the tree as it was when sums were doubles
   * holding float values ({@code (float) a + (float) b} widened), on random sums of every
   * exponent, overflow to infinity included.
   */
  @Test
  void aFloat32TreeGivesTheBitsOfTheDoubleHeldFloatSum() {
    Random random = new Random(345);
    for (int shards = 1; shards <= 7; shards++) {
      ShardTree tree = new ShardTree(shards, Dtype.FLOAT32);
      float[][] leaves = new float[shards][64];
      for (float[] leaf : leaves) {
        for (int i = 0; i < leaf.length; i++) {
          leaf[i] = i == 0 ? Float.MAX_VALUE
              : (float) (random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
        }
      }
      float[] sum = tree.reduceLeaves(float32(leaves)).floats();
      double[] expected = doubleHeldSum(tree.root(), leaves, shards);
      assertThat(sum[0]).isEqualTo(shards == 1 ? Float.MAX_VALUE : Float.POSITIVE_INFINITY);
      for (int i = 0; i < sum.length; i++) {
        assertThat(Double.doubleToRawLongBits(sum[i]))
            .as("shards %d, value %d", shards, i)
            .isEqualTo(Double.doubleToRawLongBits(expected[i]));
      }
    }
  }

  /** The old double-held float32 tree: the same pairing, each addition {@code (float) a + (float) b}. */
  private static double[] doubleHeldSum(ShardSpan node, float[][] leaves, int shards) {
    if (node.count() == 1) {
      double[] out = new double[leaves[node.first()].length];
      for (int i = 0; i < out.length; i++) {
        out[i] = leaves[node.first()][i];
      }
      return out;
    }
    // the left child spans the largest power of two below the node's count, as the tree pairs
    int left = Integer.highestOneBit(node.count() - 1);
    double[] a = doubleHeldSum(new ShardSpan(node.first(), left), leaves, shards);
    double[] b = doubleHeldSum(new ShardSpan(node.first() + left, node.count() - left), leaves,
        shards);
    double[] c = new double[a.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = (float) a[i] + (float) b[i];
    }
    return c;
  }

  @Test
  void carriesTheOddOneUpUnchanged() {
    double a = 0.1;
    double b = 0.2;
    double c = 0.3;
    assertThat(sum(new ShardTree(3), new double[][] {{a}, {b}, {c}}))
        .containsExactly((a + b) + c);
    assertThat(sum(new ShardTree(5), new double[][] {{a}, {b}, {c}, {a}, {b}}))
        .containsExactly(((a + b) + (c + a)) + b);
  }

  @Test
  void leavesTheInputsAlone() {
    double[][] g = {{1, 2}, {3, 4}, {5, 6}};
    sum(new ShardTree(3), g);
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
      FlatVector expected = tree.reduceLeaves(float64(leaves));
      for (int mask = 0; mask < (1 << shards); mask++) {
        // shards in the mask are held by one process, the rest arrive one by one
        Set<Integer> held = new java.util.HashSet<>();
        for (int k = 0; k < shards; k++) {
          if ((mask & (1 << k)) != 0) {
            held.add(k);
          }
        }
        Map<ShardSpan, FlatVector> parts = new HashMap<>();
        Map<ShardSpan, FlatVector> leafParts = new HashMap<>();
        for (int k = 0; k < shards; k++) {
          leafParts.put(ShardSpan.leaf(k), FlatVector.float64(leaves[k]));
          if (!held.contains(k)) {
            parts.put(ShardSpan.leaf(k), FlatVector.float64(leaves[k]));
          }
        }
        for (ShardSpan node : tree.maximalNodes(held)) {
          parts.put(node, tree.sum(node, leafParts));
        }
        assertThat(tree.reduce(parts)).as("shards %d, held %s", shards, held).isEqualTo(expected);
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
    assertThatThrownBy(() -> new ShardTree(2).reduce(Map.of(ShardSpan.leaf(0), FlatVector.float64(0))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not disjoint nodes covering all 2 shards");
  }
}
