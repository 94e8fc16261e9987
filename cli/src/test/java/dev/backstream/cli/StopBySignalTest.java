package dev.backstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.process.ChildJvm;
import dev.backstream.cli.testing.KafkaBroker;
import dev.backstream.cli.testing.SubsetOnDisk;
import dev.backstream.common.data.TestDatasets;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.RunKey;
import dev.backstream.coordinator.Checkpoints;
import dev.backstream.worker.WorkerConfig;
import dev.backstream.worker.WorkerRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM ends a run with a line saying where it stopped and what it kept, and exit code 143. */
class StopBySignalTest {
  @Test
  void aStoppedLocalRunSaysItsStepAndThatNothingIsKept(@TempDir Path dir) throws Exception {
    Path data = SubsetOnDisk.write(Files.createDirectories(dir.resolve("data")));
    try (ChildJvm train = ChildJvm.start("train", dir.resolve("train.log"), List.of("train",
        "--local", "--data", data.toString(), "--steps", "100000000"))) {
      train.awaitOutput("epoch", Duration.ofMinutes(2)); // the table's header: it trains
      assertThat(train.terminate()).isEqualTo(ExitCodes.STOPPED);
      assertThat(Files.readString(train.log()))
          .containsPattern("backstream: stopped; at step [1-9][0-9]*; nothing kept");
    }
  }

  @Test
  @ExtendWith(KafkaBroker.class)
  void aStoppedCoordinatorSaysWhichCheckpointANewOneResumesFrom(KafkaSettings kafka, @TempDir Path dir)
      throws Exception {
    String run = "sigterm";
    Path data = SubsetOnDisk.write(Files.createDirectories(dir.resolve("data")));
    try (WorkerRuntime workers = WorkerRuntime.start(WorkerConfig.of(kafka, run, 2),
            TestDatasets.mnistSubset(), Duration.ofSeconds(30));
        ChildJvm coordinator = ChildJvm.start("coordinator", dir.resolve("coordinator.log"),
            List.of("coordinator", "--bootstrap", kafka.bootstrapServers(), "--run", run,
                "--data", data.toString(), "--steps", "100000000", "--checkpoint-every", "10"))) {
      coordinator.awaitOutput("epoch", Duration.ofMinutes(2)); // the table's header: it trains
      assertThat(coordinator.terminate()).isEqualTo(ExitCodes.STOPPED);

      Matcher said = Pattern.compile("backstream: stopped; checkpoint at step ([0-9]+) of run '"
          + run + "' on " + Pattern.quote(kafka.bootstrapServers())
          + "; a coordinator of the run resumes from it").matcher(Files.readString(coordinator.log()));
      assertThat(said.find()).as(Files.readString(coordinator.log())).isTrue();
      long newest = Checkpoints.newest(kafka, run, RunKey.NONE, Duration.ofSeconds(10))
          .orElseThrow().step();
      assertThat(Long.parseLong(said.group(1))).isEqualTo(newest).isPositive();
    }
  }
}
