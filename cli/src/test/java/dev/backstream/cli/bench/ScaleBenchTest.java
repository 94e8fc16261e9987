package dev.backstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.testing.Cli;
import dev.backstream.cli.testing.KafkaBroker;
import dev.backstream.cli.testing.SubsetOnDisk;
import dev.backstream.common.kafka.KafkaSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench scale} end to end with worker processes on the committed subset, run tiny: one
 * table row and one CSV line per worker count asked, in that order, with positive figures and the
 * first row as its own reference. How fast is bench's business, not the test's.
 */
@ExtendWith(KafkaBroker.class)
class ScaleBenchTest {
  private static final String NUMBER = "(\\d+\\.\\d+)";

  @Test
  void writesOneRowPerWorkerCountAskedForAsTableAndCsv(KafkaSettings kafka, @TempDir Path dir)
      throws Exception {
    Path data = SubsetOnDisk.write(dir);
    Path csv = dir.resolve("scale.csv");
    Cli cli = new Cli();

    int status = cli.run("bench", "scale", "--bootstrap", kafka.bootstrapServers(),
        "--data", data.toString(), "--workers", "2,1", "--actors", "2", "--batch", "40",
        "--shards", "4", "--warmup", "5", "--steps", "15", "--dtype", "float32",
        "--csv", csv.toString());

    assertThat(status).as("exit code; stderr: %s", cli.err()).isEqualTo(ExitCodes.OK);
    String report = cli.out();
    assertThat(report).contains("batch 40, 4 shards, hidden 50, relu, float32")
        .contains("2 actor(s) per worker");
    Matcher rows = Pattern.compile("(?m)^ +(\\d+) +2 +" + NUMBER + " +" + NUMBER + " +" + NUMBER
        + " +(\\d+) +" + NUMBER + "x +(\\d+)% +(\\d+)\\*? ").matcher(report);
    for (int workers : new int[] {2, 1}) {
      assertThat(rows.find()).as("a row for %d workers in%n%s", workers, report).isTrue();
      assertThat(Integer.parseInt(rows.group(1))).isEqualTo(workers);
      assertThat(Double.parseDouble(rows.group(2))).as("median ms").isPositive();
      assertThat(Double.parseDouble(rows.group(4))).as("steps/s").isPositive();
    }
    assertThat(rows.find()).as("no third row in%n%s", report).isFalse();

    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo(ScaleRounds.CSV_HEADER);
    int columns = ScaleRounds.CSV_HEADER.split(",").length;
    String[] first = lines.get(1).split(",");
    String[] second = lines.get(2).split(",");
    assertThat(first).hasSize(columns);
    assertThat(second).hasSize(columns);
    assertThat(List.of(first[0], first[1], first[2], first[3], first[4]))
        .containsExactly("2", "2", "40", "4", "50");
    assertThat(second[0]).isEqualTo("1");
    assertThat(Double.parseDouble(first[12])).as("the first row's speed-up").isEqualTo(1.0);
    assertThat(Double.parseDouble(first[13])).as("the first row's efficiency").isEqualTo(1.0);
    assertThat(Double.parseDouble(second[10])).as("steps/s").isPositive();
    assertThat(first[columns - 1]).as("the round").isEqualTo("1");
    try (Admin admin = Admin.create(kafka.admin("check"))) {
      assertThat(admin.listTopics().names().get())
          .as("the bench's runs leave no topics behind")
          .noneMatch(t -> t.contains("bench-scale"));
    }
  }

  @Test
  void refusesMoreWorkersThanShards() {
    Cli cli = new Cli();

    int status = cli.run("bench", "scale", "--workers", "1,5", "--shards", "4");

    assertThat(status).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("Invalid value 5 for --workers: each must be in [1, 4]");
  }

  @Test
  void refusesAWorkerCountAskedTwiceAndNoRounds() {
    Cli cli = new Cli();

    assertThat(cli.run("bench", "scale", "--workers", "1,2,1")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run("bench", "scale", "--rounds", "0")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err())
        .contains("Invalid value 1,2,1 for --workers: each count at most once")
        .contains("Invalid value 0 for --rounds: must be at least 1");
  }

  @Test
  void refusesAnUnknownNumberTypeNamingTheKnownOnes() {
    Cli cli = new Cli();

    int status = cli.run("bench", "scale", "--dtype", "float16");

    assertThat(status).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err())
        .contains("Invalid value 'float16' for --dtype: must be one of float64, float32")
        .doesNotContain("Exception");
  }
}
