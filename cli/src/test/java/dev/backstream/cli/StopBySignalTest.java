package dev.backstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.process.ChildJvm;
import dev.backstream.cli.testing.KafkaBroker;
import dev.backstream.cli.testing.SubsetOnDisk;
import dev.backstream.common.data.DataFile;
import dev.backstream.common.data.TestDatasets;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.RunKey;
import dev.backstream.coordinator.Checkpoints;
import dev.backstream.worker.WorkerConfig;
import dev.backstream.worker.WorkerRuntime;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

  @Test
  void aCoordinatorStoppedWhileItLoadsItsDataSaysTheRunWasNotTouched(@TempDir Path dir)
      throws Exception {
    assertThat(stoppedWhileLoading(dir, "coordinator", "--bootstrap", "127.0.0.1:9", "--run",
        "loading")).contains(
            "backstream: stopped while loading the data; run 'loading' on 127.0.0.1:9 was not touched");
  }

  @Test
  void aTrainingStoppedWhileItLoadsItsDataSaysNothingWasWritten(@TempDir Path dir)
      throws Exception {
    assertThat(stoppedWhileLoading(dir, "train"))
        .contains("backstream: stopped while loading the data; nothing was written");
  }

  @Test
  @ExtendWith(KafkaBroker.class)
  void aWorkerStoppedWhileItLoadsItsDataSaysItDidNotJoin(KafkaSettings kafka, @TempDir Path dir)
      throws Exception {
    assertThat(stoppedWhileLoading(dir, "worker", "--bootstrap", kafka.bootstrapServers(), "--run",
        "loading")).contains("backstream: stopped while loading the data; run 'loading' on "
            + kafka.bootstrapServers() + " was not joined");
  }

  /**
   * Runs {@code backstream COMMAND OPTIONS --data D}, D's training images a pipe that nobody
   * writes, stops it with SIGTERM once it reads them, checks exit code 143 and returns its output.
   */
  private static String stoppedWhileLoading(Path dir, String command, String... options)
      throws Exception {
    Path images = dataWithImagesFromAPipe(dir);
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(List.of(options));
    args.addAll(List.of("--data", images.getParent().toString()));
    try (ChildJvm child = ChildJvm.start(command, dir.resolve(command + ".log"), args)) {
      try (OutputStream stalled = writingEndOnceRead(images)) {
        assertThat(child.terminate()).isEqualTo(ExitCodes.STOPPED);
      }
      return Files.readString(child.log());
    }
  }

  /** The subset on disk, its training images a named pipe that nobody writes: a load that stalls. */
  private static Path dataWithImagesFromAPipe(Path dir) throws Exception {
    Path data = SubsetOnDisk.write(Files.createDirectories(dir.resolve("data")));
    Path images = data.resolve(DataFile.TRAIN_IMAGES.gzipFileName());
    Files.delete(images);
    Process mkfifo = new ProcessBuilder("mkfifo", images.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor()).isZero();
    return images;
  }

  /**
   * Opens the pipe's writing end, which waits until the process opens it to read: it is then in
   * its data load. The end is kept open and silent, so the load stalls until the process ends.
   */
  private static OutputStream writingEndOnceRead(Path pipe) throws Exception {
    CompletableFuture<OutputStream> open = CompletableFuture.supplyAsync(() -> {
      try {
        return new FileOutputStream(pipe.toFile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    try {
      return open.get(2, TimeUnit.MINUTES);
    } catch (TimeoutException e) {
      new FileInputStream(pipe.toFile()).close(); // releases the waiting open
      throw new AssertionError("the process never opened its data to read", e);
    }
  }
}
