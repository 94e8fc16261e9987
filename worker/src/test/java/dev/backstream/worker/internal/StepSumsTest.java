package dev.backstream.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.common.data.DatasetName;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.BatchStats;
import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.FlatVector;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.protocol.WorkerHeartbeat;
import dev.backstream.common.training.ShardTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** When a worker process publishes the leaves its actors computed, and what. */
class StepSumsTest {
  /** Four leaves of 3 values whose float64 sums depend on the order of the additions. */
  private static final double[][] LEAVES = {{0.1, 1e16, 3}, {0.2, 1, 5}, {0.3, -1e16, 7}, {0.4, 1, 11}};
  private static final double[] LOSSES = {0.7, 0.11, 0.13, 0.17};

  private final SumBuffers buffers = new SumBuffers();
  private final StepSums sums = new StepSums(buffers);
  private final List<GradientFrame> sent = new ArrayList<>();
  /** Records the frames as Kafka's side would encode them: before the vectors are reused. */
  private final WorkerOutput output = new WorkerOutput() {
    @Override
    public void publishGradient(GradientFrame f) {
      sent.add(GradientFrame.handingOver(f.run(), f.generation(), f.step(), f.firstShard(),
          f.shardCount(), f.sender(), f.sampleCount(), f.lossSum(), f.correctCount(),
          f.gradientSumShared().copy()));
    }

    @Override
    public void publishHeartbeat(WorkerHeartbeat heartbeat) {}
  };

  private static StepFrame step(long step, String... owners) {
    return new StepFrame("unit", 1, step,
        new RunSpec(DatasetName.MNIST, 10, 4, 0.1, 1, Activation.RELU, 0, 4, 0.01), new double[3],
        new int[] {0, 1, 2, 3}, owners);
  }

  private static StepSums.Leaf leaf(int shard, String actor) {
    return new StepSums.Leaf(shard, actor, FlatVector.float64(LEAVES[shard]),
        new BatchStats(1, LOSSES[shard], shard % 2));
  }

  private static String span(GradientFrame g) {
    return g.step() + " [" + g.firstShard() + "+" + g.shardCount() + ") " + g.sender();
  }

  @Test
  void holdsAnActorsLeavesUntilTheProcessHasTheWholeNode() {
    StepFrame f = step(0, "w/0", "w/0", "w/1", "w/1");
    sums.add(f, List.of(leaf(0, "w/0"), leaf(1, "w/0")));
    sums.publishReady(Set.of(2, 3), output);
    assertThat(sent).as("shards 2 and 3 are still owed").isEmpty();
    sums.add(f, List.of(leaf(2, "w/1"), leaf(3, "w/1")));
    sums.publishReady(Set.of(), output);
    assertThat(sent).hasSize(1);
    GradientFrame root = sent.get(0);
    assertThat(span(root)).isEqualTo("0 [0+4) w/0");
    ShardTree tree = new ShardTree(4);
    FlatVector[] leaves = new FlatVector[4];
    for (int k = 0; k < 4; k++) {
      leaves[k] = FlatVector.float64(LEAVES[k]);
    }
    assertThat(root.gradientSumShared()).isEqualTo(tree.reduceLeaves(leaves));
    // (1e16 + 1) + (-1e16 + 1) loses both ones; left to right, ((1e16 + 1) - 1e16) + 1, keeps one
    assertThat(root.gradientSumShared().doubles()[1]).isEqualTo(0.0);
    assertThat(root.lossSum()).isEqualTo((0.7 + 0.11) + (0.13 + 0.17));
    assertThat(root.sampleCount()).isEqualTo(4);
    assertThat(root.correctCount()).isEqualTo(2);
    assertThat(buffers.free()).as("the leaves' vectors are free again").isEqualTo(4);
  }

  @Test
  void aNodeNoOtherActorOfTheProcessAddsToLeavesAtOnce() {
    StepFrame f = step(0, "w/0", "w/0", "w/1", "other/0");
    sums.add(f, List.of(leaf(0, "w/0"), leaf(1, "w/0")));
    sums.publishReady(Set.of(2), output);
    assertThat(sent).extracting(StepSumsTest::span).containsExactly("0 [0+2) w/0");
    sums.add(f, List.of(leaf(2, "w/1")));
    sums.publishReady(Set.of(), output);
    assertThat(sent).extracting(StepSumsTest::span).containsExactly("0 [0+2) w/0", "0 [2+1) w/1");
  }

  @Test
  void leavesOfEveryVersionOfAStepAddUp() {
    sums.add(step(0, "w/0", "w/0", "other/0", "other/0"), List.of(leaf(0, "w/0"), leaf(1, "w/0")));
    // published again before this process sent anything: shards 2 and 3 now this process's too
    StepFrame again = step(0, "", "", "w/1", "w/1");
    sums.publishReady(Set.of(2, 3), output);
    assertThat(sent).isEmpty();
    sums.add(again, List.of(leaf(2, "w/1"), leaf(3, "w/1")));
    sums.publishReady(Set.of(), output);
    assertThat(sent).extracting(StepSumsTest::span).containsExactly("0 [0+4) w/0");
  }

  @Test
  void leavesOfAStepNoLongerFollowedAreDropped() {
    sums.add(step(4, "w/0", "w/1", "w/1", "w/1"), List.of(leaf(0, "w/0")));
    sums.publishReady(Set.of(1, 2, 3), output);
    sums.keepOnly(step(5, "w/0", "w/0", "w/0", "w/0"));
    assertThat(buffers.free()).as("step 4's leaf is free again").isEqualTo(1);
    sums.add(step(5, "w/0", "w/0", "w/0", "w/0"),
        List.of(leaf(0, "w/0"), leaf(1, "w/0"), leaf(2, "w/0"), leaf(3, "w/0")));
    sums.publishReady(Set.of(), output);
    assertThat(sent).extracting(StepSumsTest::span).containsExactly("5 [0+4) w/0");
  }

  @Test
  void buffersHandOutFreeVectorsOfTheRightShapeOnly() {
    FlatVector v = buffers.take(Dtype.FLOAT64, 3);
    buffers.give(v);
    assertThat(buffers.take(Dtype.FLOAT64, 3)).isSameAs(v);
    buffers.give(v);
    FlatVector other = buffers.take(Dtype.FLOAT32, 3);
    assertThat(other).isNotSameAs(v);
    assertThat(other.dtype()).isEqualTo(Dtype.FLOAT32);
    assertThat(buffers.free()).as("a vector of another shape is dropped").isZero();
  }
}
