package dev.backstream.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backstream.cli.testing.KafkaBroker;
import dev.backstream.cli.testing.LocalRun;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.TestDatasets;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.Dtype;
import dev.backstream.common.protocol.Decoded;
import dev.backstream.common.protocol.FrameCodec;
import dev.backstream.common.protocol.MetricsLine;
import dev.backstream.common.protocol.MetricsRecord;
import dev.backstream.common.protocol.RunKey;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.common.protocol.StepFrame;
import dev.backstream.common.protocol.Topics;
import dev.backstream.coordinator.Checkpoints;
import dev.backstream.coordinator.Coordinator;
import dev.backstream.coordinator.CoordinatorConfig;
import dev.backstream.coordinator.RunFinishedException;
import dev.backstream.coordinator.training.DivergedException;
import dev.backstream.coordinator.training.EpochReport;
import dev.backstream.coordinator.training.LocalTrainer;
import dev.backstream.coordinator.training.TrainingListener;
import dev.backstream.coordinator.training.TrainingSummary;
import dev.backstream.worker.WorkerConfig;
import dev.backstream.worker.WorkerRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The guarantee: the model does not depend on how many workers computed it. */
@ExtendWith(KafkaBroker.class)
class ClusterEquivalenceTest {
  private static final Dataset SUBSET = TestDatasets.mnistSubset();
  /** Three epochs of the 2,000-image subset, cut into 4 shards like the default run. */
  private static final RunSpec SETTINGS =
      new RunSpec(DatasetName.MNIST, 60, 100, 0.1, 50, Activation.RELU, 7, 4, 0.01);
  /** The same run in float32: its own bits, as independent of the workers as float64's. */
  private static final RunSpec FLOAT32 = SETTINGS.withDtype(Dtype.FLOAT32);
  private static TrainingSummary local;
  private static String localSha;
  private static TrainingSummary local32;

  @BeforeAll
  static void trainLocally() throws InterruptedException {
    local = LocalRun.summary(SETTINGS);
    localSha = local.paramsSha256();
    local32 = LocalRun.summary(FLOAT32);
  }

  static TrainingSummary trainOverKafka(KafkaSettings kafka, String run, int workers)
      throws InterruptedException {
    return trainOverKafka(kafka, run, workers, SETTINGS);
  }

  static TrainingSummary trainOverKafka(
      KafkaSettings kafka, String run, int workers, RunSpec settings)
      throws InterruptedException {
    try (WorkerRuntime pool = WorkerRuntime.start(
        WorkerConfig.of(kafka, run, workers), SUBSET, Duration.ofSeconds(30))) {
      return Coordinator.run(CoordinatorConfig.of(kafka, run, settings), SUBSET, TrainingListener.NONE);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void anyNumberOfWorkersEndsOnTheLocalBits(int workers, KafkaSettings kafka) throws InterruptedException {
    TrainingSummary summary = trainOverKafka(kafka, "equivalence-" + workers, workers);
    assertThat(summary.paramsSha256()).isEqualTo(localSha);
    // the loss too is added in the tree's order, not in the order the workers' frames came in
    assertThat(summary.loss()).as("loss").isEqualTo(local.loss());
    assertThat(summary.trainAccuracy()).isEqualTo(local.trainAccuracy());
    assertThat(summary.testAccuracy()).isEqualTo(local.testAccuracy());
    assertThat(summary.steps()).isEqualTo(60);
    assertThat(summary.cluster().liveWorkers()).isEqualTo(workers);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void aFloat32RunEndsOnTheFloat32LocalBitsWithAnyNumberOfWorkers(int workers, KafkaSettings kafka)
      throws InterruptedException {
    TrainingSummary summary = trainOverKafka(kafka, "float32-" + workers, workers, FLOAT32);
    assertThat(summary.paramsSha256()).isEqualTo(local32.paramsSha256()).isNotEqualTo(localSha);
    assertThat(summary.loss()).as("loss").isEqualTo(local32.loss());
    assertThat(summary.trainAccuracy()).isEqualTo(local32.trainAccuracy());
    assertThat(summary.testAccuracy()).isEqualTo(local32.testAccuracy());
    assertThat(summary.cluster().liveWorkers()).isEqualTo(workers);
    assertThat(summary.cluster().rejectedByReason()).doesNotContainKey("BAD_DTYPE");
  }

  @Test
  void aStepOfTheSameWorkersCarriesOnlyTheParametersItChanged(KafkaSettings kafka)
      throws InterruptedException {
    trainOverKafka(kafka, "changes", 2);
    List<ConsumerRecord<byte[], byte[]>> records =
        readAll(kafka, Topics.forRun("changes").steps(), 60);
    List<StepFrame> frames = records.stream()
        .map(r -> ((Decoded.Step) FrameCodec.decode(r.value())).frame()).toList();

    assertThat(frames).extracting(StepFrame::step)
        .containsExactlyElementsOf(LongStream.range(0, 60).boxed().toList());
    assertThat(frames.get(0).complete()).isTrue();
    // the same two workers throughout: every later step is its changes only
    assertThat(frames.subList(1, 60)).noneMatch(StepFrame::complete);
    StepFrame last = frames.get(0);
    for (StepFrame f : frames.subList(1, 60)) {
      last = f.resolvedAgainst(last).orElseThrow();
    }
    long changed = records.subList(1, 60).stream().mapToLong(r -> r.value().length).sum();
    assertThat((double) changed / 59 / records.get(0).value().length).isBetween(0.5, 0.85);
  }

  @Test
  void everyEpochIsOnTheMetricsTopic(KafkaSettings kafka) throws InterruptedException {
    TrainingSummary summary = trainOverKafka(kafka, "metrics", 2);
    List<MetricsRecord> records = readMetrics(kafka, Topics.forRun("metrics"), 3);
    assertThat(records).extracting(MetricsRecord::epoch).containsExactly(1L, 2L, 3L);
    assertThat(records).extracting(MetricsRecord::step).containsExactly(20L, 40L, 60L);
    assertThat(records.get(2).testAccuracy()).isEqualTo(summary.testAccuracy());
    assertThat(records).allSatisfy(r -> assertThat(r.liveWorkers()).isEqualTo(2));
  }

  @Test
  void aDivergingRunStopsOnTheLocalRunsStepWithItsLastFiniteStepCheckpointed(KafkaSettings kafka)
      throws InterruptedException {
    RunSpec tooFast = new RunSpec(DatasetName.MNIST, 60, 100, 1e308, 50, Activation.RELU, 7, 4, 0.01);
    DivergedException local = catchThrowableOfType(
        () -> new LocalTrainer(tooFast, SUBSET, TrainingListener.NONE).run(),
        DivergedException.class);
    String run = "diverges";
    DivergedException overKafka;
    try (WorkerRuntime pool = WorkerRuntime.start(
        WorkerConfig.of(kafka, run, 2), SUBSET, Duration.ofSeconds(30))) {
      // before: every gradient was rejected as NON_FINITE and the step re-sent forever
      overKafka = catchThrowableOfType(
          () -> Coordinator.run(CoordinatorConfig.of(kafka, run, tooFast), SUBSET,
              TrainingListener.NONE),
          DivergedException.class);
    }
    assertThat(local).isNotNull();
    assertThat(overKafka).isNotNull();
    assertThat(overKafka.step()).isEqualTo(local.step());
    assertThat(overKafka.getMessage()).isEqualTo(local.getMessage())
        .startsWith("diverged at step " + local.step() + " (loss ")
        .endsWith("): try a smaller --lr");
    assertThat(Checkpoints.newest(kafka, run, RunKey.NONE, Duration.ofSeconds(20)))
        .hasValueSatisfying(c -> assertThat(c.step()).isEqualTo(local.step() - 1));
  }

  @Test
  void aCoordinatorOfAFinishedRunSaysSoInsteadOfTrainingAgain(KafkaSettings kafka)
      throws InterruptedException {
    TrainingSummary done = trainOverKafka(kafka, "finished", 1);
    // before: it claimed a new generation and printed an epoch line with loss NaN
    assertThatThrownBy(() -> Coordinator.run(CoordinatorConfig.of(kafka, "finished", SETTINGS),
        SUBSET, TrainingListener.NONE))
        .isInstanceOf(RunFinishedException.class)
        .hasMessage("run 'finished' is finished: 60 steps, paramsSha256 " + done.paramsSha256());
    assertThat(Checkpoints.newest(kafka, "finished", RunKey.NONE, Duration.ofSeconds(20)))
        .hasValueSatisfying(c -> assertThat(c.generation()).isEqualTo(1));
  }

  @Test
  void aResumedRunPrintsTheEpochLinesOfAnUndisturbedOne(KafkaSettings kafka)
      throws InterruptedException {
    List<EpochReport> undisturbed = new ArrayList<>();
    trainOverKafka(kafka, "undisturbed", SETTINGS, recorder(undisturbed));
    // stopped at step 30, mid-epoch 2 (epochs end at 20, 40 and 60), then resumed to 60
    trainOverKafka(kafka, "resumed", SETTINGS.withSteps(30), TrainingListener.NONE);
    List<EpochReport> resumed = new ArrayList<>();
    trainOverKafka(kafka, "resumed", SETTINGS, recorder(resumed));
    // before: epoch 2's loss was the mean of steps 31 to 40 only
    assertThat(resumed).extracting(EpochReport::step).containsExactly(40L, 60L);
    assertThat(resumed).extracting(EpochReport::loss, EpochReport::trainAccuracy,
            EpochReport::testAccuracy)
        .isEqualTo(undisturbed.subList(1, 3).stream().map(r -> org.assertj.core.groups.Tuple.tuple(
            r.loss(), r.trainAccuracy(), r.testAccuracy())).toList());
  }

  private static TrainingListener recorder(List<EpochReport> reports) {
    return new TrainingListener() {
      @Override
      public void onEpoch(EpochReport report) {
        reports.add(report);
      }
    };
  }

  private static TrainingSummary trainOverKafka(KafkaSettings kafka, String run,
      RunSpec settings, TrainingListener listener) throws InterruptedException {
    // one worker: one loss sum a step, so the epoch's sum is added in one order in both runs
    try (WorkerRuntime pool = WorkerRuntime.start(
        WorkerConfig.of(kafka, run, 1), SUBSET, Duration.ofSeconds(30))) {
      return Coordinator.run(CoordinatorConfig.of(kafka, run, settings), SUBSET, listener);
    }
  }

  /** The first {@code expected} records of a topic's partition 0, uncommitted ones included. */
  private static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaSettings kafka, String topic,
      int expected) {
    List<ConsumerRecord<byte[], byte[]>> all = read(kafka, topic, expected, Optional::of);
    return all.subList(0, Math.min(expected, all.size()));
  }

  static List<MetricsRecord> readMetrics(KafkaSettings kafka, Topics topics, int expected) {
    return read(kafka, topics.metrics(), expected,
        r -> MetricsLine.parse(new String(r.value(), StandardCharsets.UTF_8))
            instanceof MetricsRecord epoch ? Optional.of(epoch) : Optional.empty());
  }

  /**
   * What {@code kept} keeps of a topic's partition 0 from its start, until it has at least
   * {@code expected} (all of the last poll's) or 20 s have passed.
   */
  private static <T> List<T> read(KafkaSettings kafka, String topic, int expected,
      Function<ConsumerRecord<byte[], byte[]>, Optional<T>> kept) {
    TopicPartition partition = new TopicPartition(topic, 0);
    List<T> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
        kafka.consumer("test-reader", KafkaSettings.OffsetReset.EARLIEST))) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (out.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          kept.apply(r).ifPresent(out::add);
        }
      }
    }
    return out;
  }
}
