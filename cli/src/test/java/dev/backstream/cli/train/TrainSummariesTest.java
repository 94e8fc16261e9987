package dev.backstream.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstream.cli.testing.Cli;
import dev.backstream.cli.testing.KafkaBroker;
import dev.backstream.cli.testing.SubsetOnDisk;
import dev.backstream.common.kafka.KafkaSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's promise at the command line: {@code train --local} and {@code train --workers 2}
 * with the same settings write summaries with the same loss, not only the same parameters.
 */
@ExtendWith(KafkaBroker.class)
class TrainSummariesTest {
  @TempDir Path dir;

  private final Cli cli = new Cli();

  @Test
  void localAndTwoWorkerRunsWriteTheSameLossAndParameters(KafkaSettings kafka) throws Exception {
    Path data = SubsetOnDisk.write(Files.createDirectories(dir.resolve("data")));
    // three epochs of 20 steps over the 2,000-image subset, in the default 4 shards
    JsonNode local = train(data, "local.json", "--local");
    JsonNode kafkaRun = train(data, "kafka.json", "--bootstrap", kafka.bootstrapServers(),
        "--run", "summaries", "--workers", "2");

    assertThat(kafkaRun.get("paramsSha256").asText())
        .isEqualTo(local.get("paramsSha256").asText());
    // before: the coordinator added loss sums in arrival order, so the last bits could differ
    assertThat(kafkaRun.get("loss").asDouble()).isEqualTo(local.get("loss").asDouble());
    assertThat(kafkaRun.get("testAccuracy").asDouble())
        .isEqualTo(local.get("testAccuracy").asDouble());
  }

  private JsonNode train(Path data, String summary, String... mode) throws IOException {
    Path file = dir.resolve(summary);
    String[] common = {"train", "--data", data.toString(), "--steps", "60", "--seed", "7",
        "--summary", file.toString()};
    String[] args = new String[common.length + mode.length];
    System.arraycopy(common, 0, args, 0, common.length);
    System.arraycopy(mode, 0, args, common.length, mode.length);
    cli.clear();
    assertThat(cli.run(args)).as(cli.err()).isZero();
    return new ObjectMapper().readTree(file.toFile());
  }
}
