package dev.backstream.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.process.ChildJvm;
import dev.backstream.cli.testing.Cli;
import dev.backstream.cli.testing.KafkaBroker;
import dev.backstream.cli.testing.SubsetOnDisk;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.data.TestDatasets;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.coordinator.Coordinator;
import dev.backstream.coordinator.CoordinatorConfig;
import dev.backstream.coordinator.training.TrainingListener;
import dev.backstream.coordinator.training.TrainingSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * When the coordinator has finished a run, its worker processes and a {@code metrics --follow}
 * tail end too, with exit code 0; a follower that came before the run created no topics while it
 * waited, and a worker started on the finished run says so and exits 0.
 */
@ExtendWith(KafkaBroker.class)
class RunEndTest {
  private static final Dataset SUBSET = TestDatasets.mnistSubset();
  private static final RunSpec SETTINGS =
      new RunSpec(DatasetName.MNIST, 60, 100, 0.1, 50, Activation.RELU, 3, 2, 0.01);
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void workersAndFollowerExitWhenTheRunIsDone(KafkaSettings kafka) throws Exception {
    Path tmp = Files.createTempDirectory(Files.createDirectories(Path.of("target", "run-end")), "run");
    Path data = SubsetOnDisk.write(Files.createDirectories(tmp.resolve("data")));
    String run = "ends";
    Cli follower = new Cli();
    CompletableFuture<Integer> following = CompletableFuture.supplyAsync(() -> follower.run(
        "metrics", "--follow", "--bootstrap", kafka.bootstrapServers(), "--run", run));
    awaitText(follower, "waiting for run 'ends' on " + kafka.bootstrapServers());
    Thread.sleep(1_500); // a follower that created topics would have done so by now
    assertThat(runTopics(kafka, run)).as("topics made while following a run not yet started").isEmpty();

    ChildJvm worker = worker(kafka, run, data, tmp.resolve("worker.log"));
    try {
      TrainingSummary summary = Coordinator.run(CoordinatorConfig.of(kafka, run, SETTINGS), SUBSET,
          new TrainingListener() {});
      assertThat(summary.steps()).isEqualTo(SETTINGS.steps());

      assertThat(exitCode(worker)).as("the worker's exit code; its log: %s", worker.log()).isZero();
      assertThat(Files.readString(worker.log()))
          .contains("run 'ends' finished at step " + SETTINGS.steps() + "; exiting");
      assertThat(following.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
      assertThat(follower.out()).contains("# run 'ends' finished at step " + SETTINGS.steps())
          .containsPattern("(?m)^\\s+3\\s+" + SETTINGS.steps() + "\\s");
    } finally {
      worker.close();
    }

    ChildJvm late = worker(kafka, run, data, tmp.resolve("late.log"));
    try {
      assertThat(exitCode(late)).as("exit code of a worker started on the finished run").isZero();
      assertThat(Files.readString(late.log())).contains("run 'ends' on " + kafka.bootstrapServers()
          + " is finished at step " + SETTINGS.steps() + "; nothing to do");
    } finally {
      late.close();
    }
  }

  private static ChildJvm worker(KafkaSettings kafka, String run, Path data, Path log) {
    return ChildJvm.start("worker", log, List.of("worker", "--bootstrap", kafka.bootstrapServers(),
        "--run", run, "--data", data.toString()));
  }

  /** Waits for the process to end by itself; its exit code. */
  private static int exitCode(ChildJvm p) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (p.isAlive()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(p.log() + ": still running " + WAIT.toSeconds() + " s after the run's end");
      }
      Thread.sleep(100);
    }
    return p.terminate();
  }

  private static void awaitText(Cli cli, String text) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!cli.out().contains(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no '" + text + "' within " + WAIT + "; out: " + cli.out()
            + "; err: " + cli.err());
      }
      Thread.sleep(50);
    }
  }

  private static Set<String> runTopics(KafkaSettings kafka, String run) throws Exception {
    try (Admin admin = Admin.create(kafka.admin("test-topics"))) {
      return admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
          .filter(t -> t.startsWith("backstream." + run + ".")).collect(Collectors.toSet());
    }
  }
}
