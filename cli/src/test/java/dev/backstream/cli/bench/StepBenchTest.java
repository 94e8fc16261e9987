package dev.backstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.testing.Cli;
import dev.backstream.cli.testing.KafkaBroker;
import dev.backstream.cli.testing.SubsetOnDisk;
import dev.backstream.common.kafka.KafkaSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench step} end to end, with an echo process and worker processes, on the committed
 * subset: it reports the floor and both step lines. How fast is bench's business, not the test's.
 */
@ExtendWith(KafkaBroker.class)
class StepBenchTest {
  private static final String NUMBER = "(\\d+\\.\\d+)";

  @Test
  void reportsTheFloorAndTheStepsWithOneAndTwoWorkers(KafkaSettings kafka, @TempDir Path dir)
      throws Exception {
    String report = benchStep(kafka, dir, "--warmup", "5", "--steps", "20", "--iterations", "20",
        "--max-warmup", "2");

    assertPositive(report, "Kafka ping-pong, [\\d,]+ B frame, bench process <-> child JVM: "
        + "median " + NUMBER + " ms, p99 " + NUMBER + " ms \\(floor, steady\\)");
    assertThat(report).contains("warm-up rule: ");
    assertThat(Pattern.compile("(?m)^  warm-up .*; steady \\d+ round trips, median").matcher(report).find())
        .as("the floor's warm-up and steady state in%n%s", report).isTrue();
    for (String workers : new String[] {"1 worker", "2 workers"}) {
      assertPositive(report, "synchronous step, " + workers + ": +median " + NUMBER + " ms, p99 "
          + NUMBER + " ms +ratio step/floor " + NUMBER);
    }
    try (Admin admin = Admin.create(kafka.admin("check"))) {
      assertThat(admin.listTopics().names().get())
          .as("the bench's runs leave no topics behind")
          .noneMatch(t -> t.contains("bench-step") || t.contains("bench-pingpong"));
    }
  }

  @Test
  void float32StepsPingPongAFrameOfFourBytesAParameter(KafkaSettings kafka, @TempDir Path dir)
      throws Exception {
    String report = benchStep(kafka, dir, "--dtype", "float32", "--workers", "1", "--warmup",
        "5", "--steps", "10", "--iterations", "10", "--max-warmup", "1");

    assertThat(report).contains("hidden 50, relu, float32");
    Matcher floor = Pattern.compile("Kafka ping-pong, ([\\d,]+) B frame").matcher(report);
    assertThat(floor.find()).as("the floor's line in%n%s", report).isTrue();
    // the book's network: 784 x 50 + 50 + 50 x 10 + 10 parameters, and a header of under 8 KiB
    int params = 784 * 50 + 50 + 50 * 10 + 10;
    assertThat(Integer.parseInt(floor.group(1).replace(",", "")))
        .isBetween(4 * params, 4 * params + 8192);
    assertPositive(report, "synchronous step, 1 worker: +median " + NUMBER + " ms");
  }

  /** Runs {@code bench step} on the committed subset with {@code options}; returns its report. */
  private static String benchStep(KafkaSettings kafka, Path dir, String... options)
      throws Exception {
    Path data = SubsetOnDisk.write(dir);
    List<String> args = new ArrayList<>(List.of("bench", "step", "--bootstrap",
        kafka.bootstrapServers(), "--data", data.toString()));
    args.addAll(List.of(options));
    Cli cli = new Cli();

    int status = cli.run(args.toArray(String[]::new));

    assertThat(status).as("exit code; stderr: %s", cli.err()).isEqualTo(ExitCodes.OK);
    return cli.out();
  }

  private static void assertPositive(String report, String line) {
    Matcher m = Pattern.compile(line).matcher(report);
    assertThat(m.find()).as("a line matching %s in%n%s", line, report).isTrue();
    for (int g = 1; g <= m.groupCount(); g++) {
      assertThat(Double.parseDouble(m.group(g))).as("number %d of %s", g, m.group()).isPositive();
    }
  }
}
