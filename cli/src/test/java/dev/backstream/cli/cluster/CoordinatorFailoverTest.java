package dev.backstream.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backstream.cli.testing.KafkaBroker;
import dev.backstream.cli.testing.LocalRun;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.TestDatasets;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.nn.Dtype;
import dev.backstream.common.protocol.CheckpointFrame;
import dev.backstream.common.protocol.RunKey;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.coordinator.Checkpoints;
import dev.backstream.coordinator.Coordinator;
import dev.backstream.coordinator.CoordinatorConfig;
import dev.backstream.coordinator.CoordinatorFencedException;
import dev.backstream.coordinator.RunConflictException;
import dev.backstream.coordinator.training.TrainingListener;
import dev.backstream.coordinator.training.TrainingSummary;
import dev.backstream.worker.WorkerConfig;
import dev.backstream.worker.WorkerRuntime;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Checkpoints, resumption under a new generation, and fencing of an older coordinator. */
@ExtendWith(KafkaBroker.class)
class CoordinatorFailoverTest {
  private static final Dataset SUBSET = TestDatasets.mnistSubset();
  private static final RunSpec SETTINGS =
      new RunSpec(DatasetName.MNIST, 80, 100, 0.1, 50, Activation.RELU, 11, 4, 0.01);
  private static final Map<Dtype, String> localSha = new EnumMap<>(Dtype.class);

  @BeforeAll
  static void trainLocally() throws InterruptedException {
    for (Dtype dtype : Dtype.values()) {
      localSha.put(dtype, LocalRun.paramsSha256(SETTINGS.withDtype(dtype)));
    }
  }

  private static CoordinatorConfig config(KafkaSettings kafka, String run) {
    return config(kafka, run, Dtype.FLOAT64);
  }

  private static CoordinatorConfig config(KafkaSettings kafka, String run, Dtype dtype) {
    return CoordinatorConfig.of(kafka, run, SETTINGS.withDtype(dtype)).withCheckpointEvery(10);
  }

  @ParameterizedTest
  @EnumSource(Dtype.class)
  void aStoppedCoordinatorLeavesACheckpointTheNextResumesFrom(Dtype dtype, KafkaSettings kafka)
      throws Exception {
    String run = "resume-" + dtype.id();
    try (WorkerRuntime pool = WorkerRuntime.start(
        WorkerConfig.of(kafka, run, 2), SUBSET, Duration.ofSeconds(30))) {
      AtomicLong stoppedAt = new AtomicLong();
      CountDownLatch midway = new CountDownLatch(1);
      Thread first = new Thread(() -> {
        try {
          Coordinator.run(config(kafka, run, dtype), SUBSET, stepListener(33, midway));
        } catch (InterruptedException e) {
          stoppedAt.set(1);
        }
      });
      first.start();
      assertThat(midway.await(60, TimeUnit.SECONDS)).isTrue();
      first.interrupt();
      first.join(30_000);
      assertThat(stoppedAt.get()).as("the first coordinator was interrupted").isEqualTo(1);

      CheckpointFrame saved =
          Checkpoints.newest(kafka, run, RunKey.NONE, Duration.ofSeconds(10)).orElseThrow();
      assertThat(saved.generation()).isEqualTo(1);
      // a clean stop checkpoints the step it reached, not the last multiple of 10
      assertThat(saved.step()).isGreaterThanOrEqualTo(33).isLessThan(80);

      TrainingSummary second =
          Coordinator.run(config(kafka, run, dtype), SUBSET, TrainingListener.NONE);
      assertThat(second.paramsSha256()).isEqualTo(localSha.get(dtype));
      CheckpointFrame last =
          Checkpoints.newest(kafka, run, RunKey.NONE, Duration.ofSeconds(10)).orElseThrow();
      assertThat(last.generation()).isEqualTo(2);
      assertThat(last.step()).isEqualTo(80);
    }
  }

  @Test
  void aNewCoordinatorFencesTheRunningOne(KafkaSettings kafka) throws Exception {
    String run = "fence";
    try (WorkerRuntime pool = WorkerRuntime.start(
        WorkerConfig.of(kafka, run, 2), SUBSET, Duration.ofSeconds(30))) {
      CountDownLatch midway = new CountDownLatch(1);
      CompletableFuture<TrainingSummary> first = CompletableFuture.supplyAsync(() -> {
        try {
          return Coordinator.run(config(kafka, run), SUBSET, stepListener(25, midway));
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      assertThat(midway.await(60, TimeUnit.SECONDS)).isTrue();

      TrainingSummary second = Coordinator.run(config(kafka, run), SUBSET, TrainingListener.NONE);

      assertThat(second.paramsSha256()).isEqualTo(localSha.get(Dtype.FLOAT64));
      assertThatThrownBy(() -> first.get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(CoordinatorFencedException.class);
    }
  }

  @Test
  void aCheckpointOfOtherSettingsIsRefused(KafkaSettings kafka) throws Exception {
    String run = "conflict";
    RunSpec shortRun =
        new RunSpec(DatasetName.MNIST, 5, 100, 0.1, 50, Activation.RELU, 11, 4, 0.01);
    try (WorkerRuntime pool = WorkerRuntime.start(
        WorkerConfig.of(kafka, run, 1), SUBSET, Duration.ofSeconds(30))) {
      Coordinator.run(CoordinatorConfig.of(kafka, run, shortRun), SUBSET, TrainingListener.NONE);
    }
    RunSpec otherSeed =
        new RunSpec(DatasetName.MNIST, 5, 100, 0.1, 50, Activation.RELU, 12, 4, 0.01);
    assertThatThrownBy(() ->
        Coordinator.run(CoordinatorConfig.of(kafka, run, otherSeed), SUBSET, TrainingListener.NONE))
        .isInstanceOf(RunConflictException.class)
        .hasMessageContaining("seed=11")
        .hasMessageContaining("seed=12")
        .hasMessageContaining("another --run");
    // the number type is a setting like the seed: a float32 coordinator does not go on in float64
    assertThatThrownBy(() -> Coordinator.run(
            CoordinatorConfig.of(kafka, run, shortRun.withDtype(Dtype.FLOAT32)), SUBSET,
            TrainingListener.NONE))
        .isInstanceOf(RunConflictException.class)
        .hasMessageContaining("dtype=float64;")
        .hasMessageContaining("dtype=float32:");
  }

  private static TrainingListener stepListener(long at, CountDownLatch reached) {
    return new TrainingListener() {
      @Override
      public void onStep(long done, long total) {
        if (done >= at) {
          reached.countDown();
        }
      }
    };
  }
}
