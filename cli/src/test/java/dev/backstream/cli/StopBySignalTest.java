package dev.backstream.cli;

import dev.backstream.cli.base.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.process.ChildJvm;
import dev.backstream.cli.testing.SubsetOnDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
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
}
