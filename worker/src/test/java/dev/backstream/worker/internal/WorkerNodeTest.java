package dev.backstream.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.typesafe.config.ConfigFactory;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.LabeledImages;
import dev.backstream.common.data.SmallSets;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.BatchStats;
import dev.backstream.common.nn.FlatVector;
import dev.backstream.common.nn.NetShape;
import dev.backstream.common.nn.Parameters;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.protocol.WorkerHeartbeat;
import dev.backstream.common.training.ShardKernel;
import dev.backstream.common.training.ShardRange;
import dev.backstream.common.training.ShardTree;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The worker node driven through its protocol, as the Kafka poller drives it, with its output port
 * standing in for Kafka: what it publishes for the steps it is given.
 */
class WorkerNodeTest {
  static {
    // before the actor system's threads log at once: SLF4J would say it replayed their calls
    LoggerFactory.getILoggerFactory();
  }

  private static final ActorTestKit KIT = ActorTestKit.create(ConfigFactory.load());
  private static final String RUN = "unit";
  private static final LabeledImages TRAIN = SmallSets.images(20, 1);
  private static final RunSpec SPEC =
      new RunSpec(DatasetName.MNIST, 1, 100, 0.1, 3, Activation.RELU, 0, 4, 0.01);
  private static final Dataset DATA = new Dataset(DatasetName.MNIST, TRAIN, TRAIN);
  private static final NetShape SHAPE = new NetShape(6, 3, 10);
  private static final double[] PARAMS = Parameters.initial(SHAPE, 0.01, 42).values();
  private static final int[] BATCH = {3, 1, 4, 1, 5, 9, 2, 6};
  /** Far beyond any test: the node says it is alive when it starts and when it leaves. */
  private static final Duration NO_TICKS = Duration.ofHours(1);

  private final TestProbe<GradientFrame> gradients = KIT.createTestProbe();
  private final TestProbe<WorkerHeartbeat> heartbeats = KIT.createTestProbe();

  /** The output port: each record to its probe (a gradient copied, as its vector is reused). */
  private final WorkerOutput output = new WorkerOutput() {
    @Override
    public void publishGradient(GradientFrame f) {
      gradients.ref().tell(GradientFrame.handingOver(f.run(), f.generation(), f.step(),
          f.firstShard(), f.shardCount(), f.sender(), f.sampleCount(), f.lossSum(),
          f.correctCount(), f.gradientSumShared().copy()));
    }

    @Override
    public void publishHeartbeat(WorkerHeartbeat heartbeat) {
      heartbeats.ref().tell(heartbeat);
    }
  };

  @AfterAll
  static void shutDown() {
    KIT.shutdownTestKit();
  }

  private ActorRef<WorkerNode.Command> node(int actors) {
    ActorRef<WorkerNode.Command> node =
        KIT.spawn(WorkerNode.create(RUN, "w", actors, DATA, output, NO_TICKS));
    assertThat(heartbeats.receiveMessage().leaving()).isFalse();
    return node;
  }

  /** Step {@code step} of {@code generation} in 4 shards, shard k computed by {@code owners[k]}. */
  private static StepFrame step(String run, long generation, long step, String... owners) {
    return new StepFrame(run, generation, step, SPEC, PARAMS, BATCH, owners);
  }

  private static StepFrame step(long generation, long step, String... owners) {
    return step(RUN, generation, step, owners);
  }

  private static void arrive(ActorRef<WorkerNode.Command> node, StepFrame... frames) {
    node.tell(new WorkerNode.StepsArrived(List.of(frames)));
  }

  /** Says goodbye and returns the goodbye, which carries the rejections counted. */
  private WorkerHeartbeat leave(ActorRef<WorkerNode.Command> node) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    node.tell(new WorkerNode.Leave(done));
    WorkerHeartbeat goodbye = heartbeats.receiveMessage();
    gradients.expectTerminated(node);
    assertThat(done).isCompleted();
    return goodbye;
  }

  /** The next frame published is of {@code expected}, as {@link #span} writes it. */
  private void expectSent(String expected) {
    assertThat(span(gradients.receiveMessage())).isEqualTo(expected);
  }

  private static String span(GradientFrame g) {
    return g.generation() + "/" + g.step() + " [" + g.firstShard() + "+" + g.shardCount() + ") "
        + g.sender();
  }

  @Test
  void announcesItsActorsAndSaysGoodbyeWhenItLeaves() {
    ActorRef<WorkerNode.Command> node =
        KIT.spawn(WorkerNode.create(RUN, "w", 3, DATA, output, NO_TICKS));
    WorkerHeartbeat hello = heartbeats.receiveMessage();
    assertThat(hello.run()).isEqualTo(RUN);
    assertThat(hello.workerId()).isEqualTo("w");
    assertThat(hello.actors()).isEqualTo(3);
    assertThat(hello.leaving()).isFalse();
    WorkerHeartbeat goodbye = leave(node);
    assertThat(goodbye.leaving()).isTrue();
    assertThat(goodbye.rejectedByReason()).isEmpty();
  }

  /** What the coordinator would get by adding the four leaves of {@link #BATCH} in the tree's order. */
  private static void assertTreeSumOfTheLeaves(GradientFrame g) {
    ShardTree tree = new ShardTree(4);
    ShardKernel kernel = new ShardKernel(TRAIN, SHAPE, Activation.RELU);
    FlatVector[] leaves = new FlatVector[4];
    double[] losses = new double[4];
    int correct = 0;
    for (int k = 0; k < 4; k++) {
      leaves[k] = FlatVector.float64(new double[PARAMS.length]);
      BatchStats stats = kernel.compute(
          FlatVector.wrap(PARAMS), BATCH, ShardRange.of(BATCH.length, 4, k), leaves[k]);
      losses[k] = stats.lossSum();
      correct += stats.correct();
    }
    assertThat(g.gradientSumShared()).isEqualTo(tree.reduceLeaves(leaves));
    assertThat(g.lossSum()).isEqualTo(tree.sumScalars(tree.root(), losses));
    assertThat(g.sampleCount()).isEqualTo(BATCH.length);
    assertThat(g.correctCount()).isEqualTo(correct);
  }

  @Test
  void publishesTheTreeSumOfEveryShardItHoldsInOneFrame() {
    ActorRef<WorkerNode.Command> node = node(1);
    arrive(node, step(1, 0, "w/0", "w/0", "w/0", "w/0"));
    GradientFrame g = gradients.receiveMessage();
    assertThat(span(g)).isEqualTo("1/0 [0+4) w/0");
    assertThat(g.run()).isEqualTo(RUN);
    assertTreeSumOfTheLeaves(g);
    leave(node);
  }

  /** The book's run with 2 workers: one process of 2 actors holds the whole tree. */
  @Test
  void aProcessWhoseActorsHoldTheWholeTreeSendsOneFrameAStep() {
    ActorRef<WorkerNode.Command> node = node(2);
    for (long s = 0; s < 3; s++) {
      arrive(node, step(1, s, "w/0", "w/0", "w/1", "w/1"));
      GradientFrame g = gradients.receiveMessage();
      assertThat(span(g)).as("one root frame, named after its first shard's actor")
          .isEqualTo("1/" + s + " [0+4) w/0");
      // from the second step on the leaves are computed into vectors of earlier steps
      assertTreeSumOfTheLeaves(g);
    }
    gradients.expectNoMessage(Duration.ofMillis(200));
    leave(node);
  }

  @Test
  void publishesTheMaximalNodesOfItsActorsShardsTogether() {
    ActorRef<WorkerNode.Command> node = node(2);
    arrive(node, step(1, 0, "w/0", "w/0", "w/1", "other/0"));
    List<String> sent = List.of(span(gradients.receiveMessage()), span(gradients.receiveMessage()));
    assertThat(sent).containsExactlyInAnyOrder("1/0 [0+2) w/0", "1/0 [2+1) w/1");
    leave(node);
  }

  /**
   * A step published again names only the shards still missing, and each version is computed as
   * asked, also shards this process sent before (their sum may have lost to an overlapping one).
   */
  @Test
  void computesEachVersionOfARepublishedStepAsAsked() {
    ActorRef<WorkerNode.Command> node = node(2);
    arrive(node, step(1, 0, "w/0", "w/0", "other/0", "other/1"));
    expectSent("1/0 [0+2) w/0");
    // the shards of a worker that died, given to both actors: the process holds their subtree
    arrive(node, step(1, 0, "", "", "w/1", "w/0"));
    expectSent("1/0 [2+2) w/1");
    // the coordinator lacks shards 0 and 1 after all: asked again, sent again
    arrive(node, step(1, 0, "w/1", "w/1", "", ""));
    expectSent("1/0 [0+2) w/1");
    gradients.expectNoMessage(Duration.ofMillis(200));
    assertThat(leave(node).rejectedByReason()).isEmpty();
  }

  @Test
  void ofAPollItComputesOnlyTheNewestStep() {
    ActorRef<WorkerNode.Command> node = node(1);
    arrive(node, step(1, 0, "w/0", "w/0", "w/0", "w/0"), step(1, 1, "w/0", "w/0", "w/0", "w/0"),
        step(1, 2, "w/0", "w/0", "w/0", "w/0"));
    // one actor computes in order: had steps 0 or 1 been handed to it, their sums would come first
    expectSent("1/2 [0+4) w/0");
    arrive(node, step(1, 3, "w/0", "w/0", "w/0", "w/0"));
    expectSent("1/3 [0+4) w/0");
    assertThat(leave(node).rejectedByReason()).isEmpty();
  }

  @Test
  void followsANewerStepAndDropsOneThatArrivesLate() {
    ActorRef<WorkerNode.Command> node = node(1);
    arrive(node, step(1, 5, "w/0", "w/0", "w/0", "w/0"));
    expectSent("1/5 [0+4) w/0");
    arrive(node, step(1, 4, "w/0", "w/0", "w/0", "w/0"));
    arrive(node, step(1, 6, "w/0", "w/0", "w/0", "w/0"));
    // step 4 was dropped: the next frame out is step 6's
    expectSent("1/6 [0+4) w/0");
    assertThat(leave(node).rejectedByReason()).isEqualTo(Map.of("STALE_STEP", 1L));
  }

  @Test
  void followsTheHighestGenerationAndDropsOlderOnes() {
    ActorRef<WorkerNode.Command> node = node(1);
    arrive(node, step(2, 7, "w/0", "w/0", "w/0", "w/0"), step(1, 9, "w/0", "w/0", "w/0", "w/0"));
    expectSent("2/7 [0+4) w/0");
    // a resumed coordinator's generation starts from its checkpoint's step
    arrive(node, step(1, 8, "w/0", "w/0", "w/0", "w/0"), step(3, 0, "w/0", "w/0", "w/0", "w/0"));
    expectSent("3/0 [0+4) w/0");
    assertThat(leave(node).rejectedByReason()).isEqualTo(Map.of("STALE_GENERATION", 2L));
  }

  @Test
  void countsStepsOfOtherRunsInvalidStepsAndUndecodableRecords() {
    ActorRef<WorkerNode.Command> node = node(1);
    arrive(node, step("other", 1, 0, "w/0", "w/0", "w/0", "w/0"));
    // batch index 20 is beyond the 20 training images
    arrive(node, new StepFrame(RUN, 1, 0, SPEC, PARAMS, new int[] {0, 1, 2, 20},
        new String[] {"w/0", "w/0", "w/0", "w/0"}));
    // a run on another dataset than this worker's
    arrive(node, new StepFrame(RUN, 1, 0, new RunSpec(DatasetName.FASHION_MNIST, 1, 100, 0.1, 3,
        Activation.RELU, 0, 4, 0.01), PARAMS, BATCH, new String[] {"w/0", "w/0", "w/0", "w/0"}));
    node.tell(new WorkerNode.FrameRejected(RejectReason.BAD_CRC, "crc"));
    arrive(node, step(1, 0, "w/0", "w/0", "w/0", "w/0"));
    expectSent("1/0 [0+4) w/0");
    assertThat(leave(node).rejectedByReason())
        .isEqualTo(Map.of("WRONG_RUN", 1L, "WRONG_SPEC", 2L, "BAD_CRC", 1L));
  }
}
