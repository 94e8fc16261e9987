package dev.backstream.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import com.typesafe.config.ConfigFactory;
import dev.backstream.common.nn.FlatVector;
import dev.backstream.common.nn.Parameters;
import dev.backstream.common.protocol.CheckpointFrame;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.MetricsLine;
import dev.backstream.common.protocol.RejectReason;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.protocol.WorkerHeartbeat;
import dev.backstream.coordinator.CoordinatorFencedException;
import dev.backstream.coordinator.training.BatchSampler;
import dev.backstream.coordinator.training.EpochReport;
import dev.backstream.coordinator.training.Sgd;
import dev.backstream.coordinator.training.TrainingListener;
import dev.backstream.coordinator.training.TrainingSummary;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The step actor driven through its protocol, as the Kafka poller drives it, with its output port
 * and listener standing in for Kafka and the console: the steps, checkpoints and reports it makes
 * of the heartbeats and gradients it is given. {@link TestSetups}' run: 10 steps of 8 samples in 4
 * shards, 2 steps an epoch.
 */
class StepCoordinatorTest {
  static {
    // before the actor system's threads log at once: SLF4J would say it replayed their calls
    LoggerFactory.getILoggerFactory();
  }

  private static final ActorTestKit KIT = ActorTestKit.create(ConfigFactory.load());
  private static final RunSpec SETTINGS = TestSetups.settings();
  private static final int PARAMS = TestSetups.initialParams().values().length;

  private final TestProbe<StepFrame> steps = KIT.createTestProbe();
  private final TestProbe<CheckpointFrame> checkpoints = KIT.createTestProbe();
  private final TestProbe<EpochReport> epochs = KIT.createTestProbe();
  /** Nanoseconds; stands still, so no worker ever times out. */
  private final AtomicLong clock = new AtomicLong();

  @AfterAll
  static void shutDown() {
    KIT.shutdownTestKit();
  }

  private final CoordinatorOutput output = new CoordinatorOutput() {
    @Override
    public boolean writeCheckpoint(CheckpointFrame checkpoint) {
      checkpoints.ref().tell(checkpoint);
      return true;
    }

    @Override
    public void publishStep(StepFrame frame) {
      steps.ref().tell(frame);
    }

    @Override
    public void publishMetrics(MetricsLine line) {}
  };

  private final TrainingListener listener = new TrainingListener() {
    @Override
    public void onEpoch(EpochReport report) {
      epochs.ref().tell(report);
    }
  };

  /** A setup whose shards are never late: the tests hand them out by goodbyes only. */
  private CoordinatorSetup setupAt(long firstStep) {
    return TestSetups.setup(firstStep, clock::get, output, listener, Duration.ofHours(1));
  }

  private static WorkerHeartbeat heartbeat(String worker, int actors, boolean leaving) {
    return new WorkerHeartbeat(TestSetups.RUN, worker, "host", 1, actors, 0, leaving, Map.of());
  }

  private static StepCoordinator.Command hello(String worker, int actors) {
    return new StepCoordinator.HeartbeatArrived(heartbeat(worker, actors, false));
  }

  /** Worker actor w/0's sum of node {@code [first, first + count)} of {@code step}. */
  private static StepCoordinator.Command sum(long step, int first, int count, double[] values) {
    return sum("w/0", step, first, count, values);
  }

  /** The sum of node {@code [first, first + count)} of {@code step}: 2 samples a shard. */
  private static StepCoordinator.Command sum(
      String sender, long step, int first, int count, double[] values) {
    return new StepCoordinator.GradientArrived(new GradientFrame(TestSetups.RUN,
        TestSetups.GENERATION, step, first, count, sender, 2 * count, 0.5 * count, count, values));
  }

  /** A gradient sum whose every value is {@code v}. */
  private static double[] filled(double v) {
    double[] values = new double[PARAMS];
    Arrays.fill(values, v);
    return values;
  }

  /** The parameters after SGD with {@code sum} (over the batch) from {@code params}. */
  private static double[] sgd(double[] params, double[] sum) {
    FlatVector next = FlatVector.float64(new double[params.length]);
    Sgd.step(FlatVector.wrap(params), FlatVector.wrap(sum), SETTINGS.batch(),
        SETTINGS.learningRate(), next);
    return next.doubles();
  }

  private static <T> T resultOf(CompletableFuture<T> result) throws Exception {
    return result.get(30, TimeUnit.SECONDS);
  }

  @Test
  void waitsForAWorkerThenPlansTheFirstStepOverItsActorsInBlocks() {
    CoordinatorSetup setup = setupAt(0);
    ActorRef<StepCoordinator.Command> actor = KIT.spawn(StepCoordinator.create(setup));
    actor.tell(hello("w", 2));
    StepFrame first = steps.receiveMessage();
    assertThat(first.step()).isZero();
    assertThat(first.generation()).isEqualTo(TestSetups.GENERATION);
    assertThat(first.shardOwners()).containsExactly("w/0", "w/0", "w/1", "w/1");
    assertThat(first.params()).containsExactly(TestSetups.initialParams().values());
    assertThat(first.batchIndices()).containsExactly(
        BatchSampler.batch(SETTINGS.seed(), 0, TestSetups.TRAIN, SETTINGS.batch()));
    KIT.stop(actor);
  }

  @Test
  void addsTheSumsInTheTreesOrderAppliesSgdAndPublishesTheNextStep() {
    ActorRef<StepCoordinator.Command> actor = KIT.spawn(StepCoordinator.create(setupAt(0)));
    actor.tell(hello("w", 2));
    StepFrame first = steps.receiveMessage();
    double[] left = filled(0.25);
    double[] right = filled(-1.5);
    actor.tell(sum(0, 2, 2, right));
    actor.tell(sum(0, 0, 2, left));
    StepFrame second = steps.receiveMessage();
    assertThat(second.step()).isEqualTo(1);
    double[] both = new double[PARAMS];
    for (int i = 0; i < PARAMS; i++) {
      both[i] = left[i] + right[i];
    }
    assertThat(second.params()).containsExactly(sgd(first.params(), both));
    KIT.stop(actor);
  }

  @Test
  void aStopWritesACheckpointOfTheStepsDoneAndCancelsTheResult() {
    CoordinatorSetup setup = setupAt(0);
    ActorRef<StepCoordinator.Command> actor = KIT.spawn(StepCoordinator.create(setup));
    actor.tell(hello("w", 1));
    steps.receiveMessage();
    actor.tell(sum(0, 0, 4, filled(1.0)));
    StepFrame second = steps.receiveMessage();
    actor.tell(StepCoordinator.Stop.INSTANCE);
    CheckpointFrame checkpoint = checkpoints.receiveMessage();
    assertThat(checkpoint.step()).isEqualTo(1);
    assertThat(checkpoint.params()).containsExactly(second.params());
    steps.expectTerminated(actor);
    assertThat(setup.result()).isCancelled();
  }

  @Test
  void runsEveryStepToTheEndCheckpointingEachEpochAndCountingWhatItDrops() throws Exception {
    CoordinatorSetup setup = setupAt(0);
    ActorRef<StepCoordinator.Command> actor = KIT.spawn(StepCoordinator.create(setup));
    actor.tell(hello("w", 1));
    double[] params = TestSetups.initialParams().values();
    for (long s = 0; s < SETTINGS.steps(); s++) {
      StepFrame frame = steps.receiveMessage();
      assertThat(frame.step()).isEqualTo(s);
      assertThat(frame.params()).containsExactly(params);
      double[] g = filled(0.01 * (s + 1));
      if (s == 0) {
        // a sum of a step not open, and a half of the open one twice: dropped and counted
        actor.tell(sum(1, 0, 4, g));
        actor.tell(sum(0, 0, 2, g));
        actor.tell(sum(0, 0, 2, g));
        actor.tell(sum(0, 2, 2, g));
        g = twice(g);
      } else {
        actor.tell(sum(s, 0, 4, g));
      }
      params = sgd(params, g);
      if ((s + 1) % 2 == 0) {
        CheckpointFrame checkpoint = checkpoints.receiveMessage();
        assertThat(checkpoint.step()).isEqualTo(s + 1);
        assertThat(checkpoint.params()).containsExactly(params);
      }
    }
    TrainingSummary summary = resultOf(setup.result());
    assertThat(summary.steps()).isEqualTo(SETTINGS.steps());
    assertThat(summary.paramsSha256()).isEqualTo(Parameters.sha256(params));
    assertThat(summary.cluster().rejectedByReason())
        .isEqualTo(Map.of("STALE_STEP", 1L, "DUPLICATE", 1L));
    assertThat(epochs.receiveMessage().epoch()).isEqualTo(1);
    steps.expectTerminated(actor);
  }

  /** The step's sum when each half of the tree sums to {@code g}. */
  private static double[] twice(double[] g) {
    double[] sum = new double[g.length];
    for (int i = 0; i < g.length; i++) {
      sum[i] = g[i] + g[i];
    }
    return sum;
  }

  @Test
  void aGoodbyeHandsTheLeaversMissingShardsOutAtOnce() {
    ActorRef<StepCoordinator.Command> actor = KIT.spawn(StepCoordinator.create(setupAt(0)));
    actor.tell(hello("a", 1));
    assertThat(steps.receiveMessage().shardOwners()).containsOnly("a/0");
    actor.tell(hello("b", 1));
    actor.tell(sum("a/0", 0, 0, 2, filled(0)));
    actor.tell(new StepCoordinator.HeartbeatArrived(heartbeat("a", 1, true)));
    // the same step again, naming only the shards still missing, all for the one worker left
    StepFrame again = steps.receiveMessage();
    assertThat(again.step()).isZero();
    assertThat(again.shardOwners()).containsExactly("", "", "b/0", "b/0");
    KIT.stop(actor);
  }

  @Test
  void aCoordinatorResumedAtTheLastStepOnlyEvaluates() throws Exception {
    CoordinatorSetup setup = setupAt(SETTINGS.steps());
    KIT.spawn(StepCoordinator.create(setup));
    TrainingSummary summary = resultOf(setup.result());
    assertThat(summary.steps()).isEqualTo(SETTINGS.steps());
    assertThat(summary.paramsSha256()).isEqualTo(TestSetups.initialParams().sha256());
  }

  @Test
  void aFenceEndsTheRunWithTheCoordinatorFencedException() {
    CoordinatorSetup setup = setupAt(0);
    ActorRef<StepCoordinator.Command> actor = KIT.spawn(StepCoordinator.create(setup));
    actor.tell(new StepCoordinator.Fenced(new ProducerFencedException("newer")));
    steps.expectTerminated(actor);
    assertThatThrownBy(setup.result()::join).hasCauseInstanceOf(CoordinatorFencedException.class);
  }

  @Test
  void aRecordRejectedBeforeTheActorIsCountedWithItsReason() throws Exception {
    CoordinatorSetup setup = setupAt(SETTINGS.steps() - 1);
    ActorRef<StepCoordinator.Command> actor = KIT.spawn(StepCoordinator.create(setup));
    actor.tell(new StepCoordinator.FrameRejected(RejectReason.BAD_CRC, "crc"));
    actor.tell(hello("w", 1));
    steps.receiveMessage();
    actor.tell(sum(SETTINGS.steps() - 1, 0, 4, filled(0)));
    assertThat(resultOf(setup.result()).cluster().rejectedByReason())
        .isEqualTo(Map.of("BAD_CRC", 1L));
    steps.expectTerminated(actor);
  }
}
