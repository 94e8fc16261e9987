package dev.backstream.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.testing.Cli;
import dev.backstream.cli.testing.KafkaBroker;
import dev.backstream.cli.testing.SubsetOnDisk;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.model.ModelFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code export} writes the model a Kafka run ended on, from the run's checkpoints topic. */
@ExtendWith(KafkaBroker.class)
class ExportCommandTest {
  @TempDir Path dir;

  private final Cli cli = new Cli();

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void theExportedModelIsTheOneTheRunEndedOn(KafkaSettings kafka) throws Exception {
    String data = SubsetOnDisk.write(dir).toString();
    Path summary = dir.resolve("summary.json");
    assertThat(run("train", "--bootstrap", kafka.bootstrapServers(), "--run", "exported",
        "--data", data, "--steps", "30", "--workers", "1", "--summary", summary.toString()))
        .isZero();
    String trained = new ObjectMapper().readTree(summary.toFile()).get("paramsSha256").asText();

    Path npz = dir.resolve("model.npz");
    assertThat(run("export", "--bootstrap", kafka.bootstrapServers(), "--run", "exported",
        "--out", npz.toString())).isZero();

    ModelFile model = ModelFile.read(npz);
    assertThat(model.paramsSha256()).isEqualTo(trained);
    assertThat(model.settings()).containsEntry("steps", "30").containsEntry("run", "exported")
        .containsEntry("mode", "checkpoint");
    assertThat(cli.out()).contains("at step 30").contains(trained);
  }

  @Test
  void aRunWithoutCheckpointsIsOneLine(KafkaSettings kafka) {
    assertThat(run("export", "--bootstrap", kafka.bootstrapServers(), "--run", "never-trained",
        "--out", dir.resolve("m.npz").toString())).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.err().strip())
        .startsWith("backstream: run 'never-trained' has no checkpoint on ")
        .doesNotContain("\tat ");
  }
}
