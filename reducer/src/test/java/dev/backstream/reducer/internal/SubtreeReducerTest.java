package dev.backstream.reducer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.common.data.DatasetName;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.FlatVector;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.Rejections;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.protocol.WorkerHeartbeat;
import dev.backstream.common.training.ShardSpan;
import dev.backstream.common.training.ShardTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The reducer of subtree 1 of a run of 8 shards with 2 subtrees: shards 4..7. */
class SubtreeReducerTest {
  private static final int SHARDS = 8;
  private static final int VALUES = 37;
  private static final RunSpec SPEC = new RunSpec(DatasetName.MNIST, 10, 8, 0.1, 1,
      Activation.RELU, 0, SHARDS, 0.01);
  private static final ShardSpan SUBTREE = new ShardSpan(4, 4);

  private final List<GradientFrame> sums = new ArrayList<>();
  private final Rejections rejections =
      new Rejections(LoggerFactory.getLogger(SubtreeReducerTest.class), "record", System::nanoTime);
  private final SubtreeReducer reducer = new SubtreeReducer("r", 1, 2, "reducer-1-x",
      new ReducerOutput() {
        @Override
        public void publishSum(GradientFrame frame) {
          sums.add(frame);
        }

        @Override
        public void publishHeartbeat(WorkerHeartbeat heartbeat) {}
      }, rejections);
  private final Random random = new Random(345);
  /** Leaf sums whose order of addition shows in their bits. */
  private final double[][] leaves = new double[SHARDS][VALUES];
  private final double[] losses = new double[SHARDS];

  SubtreeReducerTest() {
    for (int k = 0; k < SHARDS; k++) {
      for (int i = 0; i < VALUES; i++) {
        leaves[k][i] = random.nextGaussian() * Math.pow(10, random.nextInt(12));
      }
      losses[k] = random.nextDouble() * Math.pow(10, random.nextInt(12));
    }
  }

  private static StepFrame step(long generation, long step, String... owners) {
    String[] plan = new String[SHARDS];
    for (int k = 0; k < SHARDS; k++) {
      plan[k] = owners.length == 0 ? "w/0" : owners[k];
    }
    return new StepFrame("r", generation, step, SPEC, new double[VALUES],
        new int[] {0, 1, 2, 3, 4, 5, 6, 7}, plan);
  }

  /** The frame of a node as a worker makes it: its leaves added in the tree's order. */
  private GradientFrame node(long step, ShardSpan span) {
    ShardTree tree = new ShardTree(SHARDS);
    Map<ShardSpan, FlatVector> parts = new HashMap<>();
    for (int k = span.first(); k < span.end(); k++) {
      parts.put(ShardSpan.leaf(k), FlatVector.float64(leaves[k]));
    }
    return GradientFrame.handingOver("r", 1, step, span.first(), span.count(), "w/" + span.first(),
        12 * span.count(), tree.sumScalars(span, losses), span.count(),
        tree.sum(span, parts).copy());
  }

  @Test
  void itsSumIsTheTreesSumOfTheSubtreeBitForBit() {
    reducer.onStep(step(1, 5));
    // arrival order differs from the tree's order, and nodes of two sizes
    reducer.onGradient(node(5, ShardSpan.leaf(7)));
    reducer.onGradient(node(5, new ShardSpan(4, 2)));
    assertThat(sums).isEmpty();
    reducer.onGradient(node(5, ShardSpan.leaf(6)));

    ShardTree tree = new ShardTree(SHARDS);
    Map<ShardSpan, FlatVector> all = new HashMap<>();
    for (int k = 0; k < SHARDS; k++) {
      all.put(ShardSpan.leaf(k), FlatVector.float64(leaves[k]));
    }
    assertThat(sums).hasSize(1);
    GradientFrame sum = sums.get(0);
    assertThat(sum.gradientSum()).containsExactly(tree.sum(SUBTREE, all).doubles());
    assertThat(Double.doubleToRawLongBits(sum.lossSum()))
        .isEqualTo(Double.doubleToRawLongBits(tree.sumScalars(SUBTREE, losses)));
    assertThat(sum.firstShard()).isEqualTo(4);
    assertThat(sum.shardCount()).isEqualTo(4);
    assertThat(sum.sampleCount()).isEqualTo(48);
    assertThat(sum.correctCount()).isEqualTo(4);
    assertThat(sum.sender()).isEqualTo("reducer-1-x");
    assertThat(sum.step()).isEqualTo(5);
    assertThat(sum.generation()).isEqualTo(1);
  }

  @Test
  void framesOutsideItsSubtreeOrOfOtherStepsAreCountedNotKept() {
    reducer.onStep(step(1, 5));
    reducer.onGradient(node(5, ShardSpan.leaf(3)));
    reducer.onGradient(node(4, ShardSpan.leaf(4)));
    reducer.onGradient(node(5, ShardSpan.leaf(4)));
    reducer.onGradient(node(5, ShardSpan.leaf(4)));
    assertThat(rejections.byReason())
        .containsEntry("BAD_SHARD", 1L).containsEntry("STALE_STEP", 1L).containsEntry("DUPLICATE", 1L);
    assertThat(sums).isEmpty();
  }

  @Test
  void aGradientBeforeItsStepWaitsForIt() {
    reducer.onStep(step(1, 4));
    reducer.onGradient(node(5, new ShardSpan(4, 2)));
    reducer.onGradient(node(5, new ShardSpan(6, 2)));
    assertThat(sums).isEmpty();
    reducer.onStep(step(1, 5));
    assertThat(sums).extracting(GradientFrame::step).containsExactly(5L);
  }

  @Test
  void aResentStepThatHandsOutOneOfItsShardsGetsTheSumAgain() {
    reducer.onStep(step(1, 5));
    reducer.onGradient(node(5, new ShardSpan(4, 2)));
    reducer.onGradient(node(5, new ShardSpan(6, 2)));
    // re-sent for shard 1 only: not ours, nothing to say
    reducer.onStep(step(1, 5, "", "w/1", "", "", "", "", "", ""));
    assertThat(sums).hasSize(1);
    // re-sent for shard 6: the coordinator lacks our sum
    reducer.onStep(step(1, 5, "", "", "", "", "", "", "w/1", ""));
    assertThat(sums).hasSize(2);
    assertThat(sums.get(1)).isEqualTo(sums.get(0));
    assertThat(reducer.sumsPublished()).isEqualTo(2);
  }
}
