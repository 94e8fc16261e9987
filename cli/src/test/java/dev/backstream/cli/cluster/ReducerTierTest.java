package dev.backstream.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.process.ChildJvm;
import dev.backstream.cli.testing.Cli;
import dev.backstream.cli.testing.KafkaBroker;
import dev.backstream.cli.testing.LocalRun;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.TestDatasets;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.kafka.KafkaTopics;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.Topics;
import dev.backstream.common.training.ReducerSubtrees;
import dev.backstream.coordinator.Coordinator;
import dev.backstream.coordinator.CoordinatorConfig;
import dev.backstream.coordinator.training.TrainingListener;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.coordinator.training.TrainingSummary;
import dev.backstream.reducer.ReducerConfig;
import dev.backstream.reducer.ReducerRuntime;
import dev.backstream.worker.WorkerConfig;
import dev.backstream.worker.WorkerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reducer tier: with reducers adding up subtrees, with one subtree left to the coordinator,
 * and with a reducer killed mid-run, a run ends on the local trainer's bits; with reducers live
 * the coordinator keeps fewer gradient frames a step.
 */
@ExtendWith(KafkaBroker.class)
class ReducerTierTest {
  private static final Dataset SUBSET = TestDatasets.mnistSubset();
  /** Four shards: with two subtrees of two leaves, four worker actors send leaves to reducers. */
  private static final RunSpec SETTINGS =
      new RunSpec(DatasetName.MNIST, 60, 100, 0.1, 50, Activation.RELU, 7, 4, 0.01);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static String localSha;

  @BeforeAll
  static void trainLocally() throws InterruptedException {
    localSha = LocalRun.paramsSha256(SETTINGS);
  }

  /** The run's topics with R subtrees, before any worker routes a frame. */
  private static void prepare(KafkaSettings kafka, String run, int reducers) {
    Topics topics = Topics.forRun(run);
    KafkaTopics.ensureRunTopics(kafka, topics, TIMEOUT);
    assertThat(KafkaTopics.ensureReducerSubtrees(kafka, topics, reducers, TIMEOUT)).isEqualTo(reducers);
  }

  /**
   * Four worker processes of one actor each: every process holds one leaf of the four (a process
   * of two actors would hold a whole subtree, add it up itself and skip the reducer).
   */
  private static TrainingSummary train(KafkaSettings kafka, String run, RunSpec settings,
      int reducers, TrainingListener listener) throws InterruptedException {
    try (WorkerRuntime a = WorkerRuntime.start(WorkerConfig.of(kafka, run, 1), SUBSET, TIMEOUT);
        WorkerRuntime b = WorkerRuntime.start(WorkerConfig.of(kafka, run, 1), SUBSET, TIMEOUT);
        WorkerRuntime c = WorkerRuntime.start(WorkerConfig.of(kafka, run, 1), SUBSET, TIMEOUT);
        WorkerRuntime d = WorkerRuntime.start(WorkerConfig.of(kafka, run, 1), SUBSET, TIMEOUT)) {
      return Coordinator.run(CoordinatorConfig.of(kafka, run, settings).withReducers(reducers),
          SUBSET, listener);
    }
  }

  private static double keptPerStep(TrainingSummary summary) {
    return (double) summary.cluster().gradientsKept() / summary.steps();
  }

  @Test
  void twoReducersLeaveTheCoordinatorFewerFramesAndTheSameBits(KafkaSettings kafka)
      throws InterruptedException {
    TrainingSummary without = train(kafka, "tier-none", SETTINGS, 0, TrainingListener.NONE);
    prepare(kafka, "tier-two", 2);
    TrainingSummary with;
    long[] sums = new long[2];
    try (ReducerRuntime r0 = ReducerRuntime.start(ReducerConfig.of(kafka, "tier-two", 0), TIMEOUT);
        ReducerRuntime r1 = ReducerRuntime.start(ReducerConfig.of(kafka, "tier-two", 1), TIMEOUT)) {
      with = train(kafka, "tier-two", SETTINGS, 2, TrainingListener.NONE);
      sums[0] = r0.sumsPublished();
      sums[1] = r1.sumsPublished();
    }
    assertThat(without.paramsSha256()).isEqualTo(localSha);
    assertThat(with.paramsSha256()).isEqualTo(localSha);
    assertThat(with.loss()).as("loss").isEqualTo(without.loss());
    assertThat(sums[0]).as("sums of subtree 0").isPositive();
    assertThat(sums[1]).as("sums of subtree 1").isPositive();
    // the point of the tier: one frame per subtree instead of one per leaf
    assertThat(keptPerStep(with)).isLessThan(keptPerStep(without));
    assertThat(with.cluster().liveWorkers()).as("reducers are no workers").isEqualTo(4);
  }

  @Test
  void aSubtreeWithoutAReducerIsAddedByTheCoordinator(KafkaSettings kafka)
      throws InterruptedException {
    prepare(kafka, "tier-one", 2);
    TrainingSummary summary;
    long sums;
    try (ReducerRuntime r0 = ReducerRuntime.start(ReducerConfig.of(kafka, "tier-one", 0), TIMEOUT)) {
      summary = train(kafka, "tier-one", SETTINGS, 2, TrainingListener.NONE);
      sums = r0.sumsPublished();
    }
    assertThat(summary.paramsSha256()).isEqualTo(localSha);
    assertThat(sums).isPositive();
  }

  @Test
  void aReducerKilledMidRunCostsTimeNotBits(KafkaSettings kafka) throws Exception {
    RunSpec settings = SETTINGS.withSteps(400);
    String expected = LocalRun.paramsSha256(settings);
    String run = "tier-killed";
    prepare(kafka, run, 2);
    Path logs = Files.createTempDirectory(
        Files.createDirectories(Path.of("target", "reducer-tier")), "run");
    PacedSteps paced = new PacedSteps(30);
    try (ReducerRuntime r1 = ReducerRuntime.start(ReducerConfig.of(kafka, run, 1), TIMEOUT);
        SumWatch watch = new SumWatch(kafka, Topics.forRun(run));
        ChildJvm r0 = ChildJvm.start("reducer 0", logs.resolve("reducer-0.log"), List.of(
            "reducer", "--bootstrap", kafka.bootstrapServers(), "--run", run, "--subtree", "0"))) {
      CompletableFuture<TrainingSummary> result = CompletableFuture.supplyAsync(() -> {
        try {
          return train(kafka, run, settings, 2, paced);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      watch.awaitSumFrom(r0.pid(), Duration.ofSeconds(90));
      long stepAtKill = paced.step();
      r0.kill();
      paced.release();
      TrainingSummary summary = result.get(3, TimeUnit.MINUTES);
      assertThat(summary.paramsSha256()).isEqualTo(expected);
      assertThat(stepAtKill).as("the kill happened mid-run").isLessThan(settings.steps());
      // the leaves of subtree 0 sent while the coordinator still left them to the dead reducer
      assertThat(summary.cluster().shardsResent()).isPositive();
      assertThat(r1.sumsPublished()).isPositive();
    }
  }

  @Test
  void aSubtreeTheRunDoesNotHaveIsRefusedInOneLine(KafkaSettings kafka) {
    prepare(kafka, "tier-refused", 2);
    Cli cli = new Cli();
    int code = cli.run("reducer", "--bootstrap", kafka.bootstrapServers(), "--run", "tier-refused",
        "--subtree", "2");
    assertThat(code).isEqualTo(2);
    assertThat(cli.err().strip()).isEqualTo("backstream: Invalid value 2 for --subtree: run"
        + " 'tier-refused' has 2 reducer subtrees (0 to 1); its coordinator's --reducers sets them");
    cli.clear();
    assertThat(cli.run("reducer", "--bootstrap", kafka.bootstrapServers(), "--run", "tier-refused"))
        .isEqualTo(2);
    assertThat(cli.err()).startsWith("backstream: Missing --subtree R").hasLineCount(1);
    cli.clear();
    // a run whose coordinator never gave it subtrees: waited for up to --connect-timeout
    assertThat(cli.run("reducer", "--bootstrap", kafka.bootstrapServers(), "--run", "tier-flat",
        "--subtree", "0", "--connect-timeout", "1")).isEqualTo(2);
    assertThat(cli.err().strip()).isEqualTo("backstream: Invalid value 0 for --subtree: run"
        + " 'tier-flat' has no reducer subtrees; its coordinator's --reducers sets them");
  }

  /** Watches the coordinator's partition of the gradients topic for a reducer's sum. */
  private static final class SumWatch implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;

    SumWatch(KafkaSettings kafka, Topics topics) {
      consumer = new KafkaConsumer<>(kafka.consumer("test-sums", KafkaSettings.OffsetReset.EARLIEST));
      TopicPartition coordinators =
          new TopicPartition(topics.gradients(), ReducerSubtrees.COORDINATOR_PARTITION);
      consumer.assign(List.of(coordinators));
      consumer.seekToBeginning(List.of(coordinators));
    }

    /** Waits until the reducer process {@code pid} has published a sum. */
    void awaitSumFrom(long pid, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          if (FrameCodec.decode(r.value()) instanceof Decoded.Gradient g
              && g.frame().sender().contains("-" + pid + "-")
              && g.frame().sender().startsWith("reducer-0-")) {
            return;
          }
        }
      }
      throw new AssertionError("reducer process " + pid + " sent no sum within " + timeout);
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
