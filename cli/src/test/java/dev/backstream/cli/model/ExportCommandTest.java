package dev.backstream.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.backstream.cli.ExitCodes;
import dev.backstream.cli.Main;
import dev.backstream.cli.testing.KafkaBroker;
import dev.backstream.cli.testing.SubsetOnDisk;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.model.ModelFile;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code export} writes the model a Kafka run ended on, from the run's checkpoints topic. */
@ExtendWith(KafkaBroker.class)
class ExportCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
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
    assertThat(out.toString()).contains("at step 30").contains(trained);
  }

  @Test
  void aRunWithoutCheckpointsIsOneLine(KafkaSettings kafka) {
    assertThat(run("export", "--bootstrap", kafka.bootstrapServers(), "--run", "never-trained",
        "--out", dir.resolve("m.npz").toString())).isEqualTo(ExitCodes.FAILURE);
    assertThat(err.toString().strip())
        .startsWith("backstream: run 'never-trained' has no checkpoint on ")
        .doesNotContain("\tat ");
  }
}
