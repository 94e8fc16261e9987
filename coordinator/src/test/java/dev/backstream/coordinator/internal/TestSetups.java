package dev.backstream.coordinator.internal;

import dev.backstream.common.data.Dataset;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.SmallSets;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.Parameters;
import dev.backstream.common.protocol.CheckpointFrame;
import dev.backstream.common.protocol.GradientFrame;
import dev.backstream.common.protocol.MetricsLine;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.coordinator.training.Evaluations;
import dev.backstream.coordinator.training.LossMeter;
import dev.backstream.coordinator.training.TrainingListener;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Coordinator setups small enough for unit tests: a hand-made set of 2x3 images (common's {@link SmallSets}) instead of MNIST
 * and an output that drops everything, so that the step actor's state can be driven without Kafka.
 */
final class TestSetups {
  static final String RUN = "unit";
  static final long GENERATION = 3;
  /** Training images: with {@link #settings()}'s batch of 8, an epoch is 2 steps. */
  static final int TRAIN = 20;
  static final Duration DEADLINE_FLOOR = Duration.ofMillis(250);
  static final double DEADLINE_FACTOR = 5.0;

  /** An output that keeps nothing. */
  static final CoordinatorOutput NO_OUTPUT = metricsTo(line -> {});

  private TestSetups() {}

  /** An output that hands each metrics line to {@code sink} and drops steps and checkpoints. */
  static CoordinatorOutput metricsTo(Consumer<MetricsLine> sink) {
    return new CoordinatorOutput() {
      @Override
      public boolean writeCheckpoint(CheckpointFrame checkpoint) {
        return true;
      }

      @Override
      public void publishStep(StepFrame frame) {}

      @Override
      public void publishMetrics(MetricsLine line) {
        sink.accept(line);
      }
    };
  }

  /** 10 steps of 8 samples in 4 shards, a 6-3-10 ReLU network, seed 42. */
  static RunSpec settings() {
    return new RunSpec(DatasetName.MNIST, 10, 8, 0.1, 3, Activation.RELU, 42, 4, 0.01);
  }

  /** {@value #TRAIN} training and 10 test images of 2x3 pixels. */
  static Dataset dataset() {
    return new Dataset(DatasetName.MNIST, SmallSets.images(TRAIN, 1), SmallSets.images(10, 2));
  }

  /** The initial parameters of {@link #settings()} for the 2x3 images. */
  static Parameters initialParams() {
    RunSpec s = settings();
    return Parameters.initial(s.shape(6), s.weightInitStd(), s.seed());
  }

  /** A setup from step 0 with a clock stuck at 0, no output and no listener. */
  static CoordinatorSetup setup() {
    return setup(0, () -> 0L, NO_OUTPUT, TrainingListener.NONE);
  }

  static CoordinatorSetup setup(long firstStep) {
    return setup(firstStep, () -> 0L, NO_OUTPUT, TrainingListener.NONE);
  }

  static CoordinatorSetup setup(
      long firstStep, LongSupplier clock, CoordinatorOutput output, TrainingListener listener) {
    return setup(firstStep, clock, output, listener, DEADLINE_FLOOR);
  }

  /**
   * @param deadlineFloor the shortest wait for a shard: far beyond a test's length, no shard is
   *     ever handed out again for being late, however loaded the machine
   */
  static CoordinatorSetup setup(long firstStep, LongSupplier clock, CoordinatorOutput output,
      TrainingListener listener, Duration deadlineFloor) {
    return new CoordinatorSetup(RUN, GENERATION, settings(), dataset(), initialParams(), firstStep,
        LossMeter.Sums.NONE,
        listener, output, new CompletableFuture<>(), Duration.ofSeconds(5), deadlineFloor,
        DEADLINE_FACTOR, clock, 100, Evaluations.EVERY_EPOCH);
  }

  /** A sum for the node {@code [first, first + count)} of {@code step}, of 2 samples a shard. */
  static GradientFrame gradient(long step, int first, int count) {
    return new GradientFrame(RUN, GENERATION, step, first, count, "w/0", 2 * count, 1.5 * count,
        count, new double[initialParams().values().length]);
  }
}
