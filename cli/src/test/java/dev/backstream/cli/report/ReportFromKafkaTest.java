package dev.backstream.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.testing.Cli;
import dev.backstream.cli.testing.KafkaBroker;
import dev.backstream.cli.testing.SubsetOnDisk;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.MetricsLine;
import dev.backstream.common.protocol.MetricsRecord;
import dev.backstream.common.protocol.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A run over Kafka: its topic and its {@code --metrics-out} file hold the same lines. */
@ExtendWith(KafkaBroker.class)
class ReportFromKafkaTest {
  @TempDir Path dir;
  private final Cli cli = new Cli();

  private int run(String... args) {
    cli.clear();
    return cli.run(args);
  }

  @Test
  void theTopicGivesTheReportAndTheFileOfTheSameRun(KafkaSettings kafka) throws Exception {
    String bootstrap = kafka.bootstrapServers();
    Path data = SubsetOnDisk.write(Files.createDirectories(dir.resolve("data")));
    Path file = dir.resolve("m.jsonl");
    assertThat(run("train", "--bootstrap", bootstrap, "--run", "report-kafka", "--workers", "1",
        "--data", data.toString(), "--steps", "30", "--metrics-out", file.toString())).isZero();

    assertThat(run("report", "--bootstrap", bootstrap, "--run", "report-kafka", "--out",
        dir.resolve("r").toString())).as(cli.err()).isZero();
    ReportCommandTest.assertReport(dir.resolve("r"), "kafka", "report-kafka");

    assertThat(run("metrics", "--bootstrap", bootstrap, "--run", "report-kafka", "--json")).isZero();
    List<MetricsLine> topic = cli.out().lines().map(MetricsLine::parse).toList();
    List<MetricsLine> written = Files.readAllLines(file).stream().map(MetricsLine::parse).toList();
    assertThat(withoutTimes(topic)).isEqualTo(withoutTimes(written));
    assertThat(topic.get(0)).isInstanceOf(RunRecord.class);
    assertThat(RunMetrics.of(topic).epochs()).extracting(MetricsRecord::step).containsExactly(20L, 30L);

    assertThat(run("metrics", "--bootstrap", bootstrap, "--run", "report-kafka")).isZero();
    assertThat(cli.out().lines()).hasSize(3).first().asString().contains("epoch", "test acc");
  }

  @Test
  void anUnknownRunIsOneLineAndExitOne(KafkaSettings kafka) {
    assertThat(run("report", "--bootstrap", kafka.bootstrapServers(), "--run", "no-such-run",
        "--out", dir.toString())).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.err()).startsWith("backstream: no run 'no-such-run' on ")
        .contains("backstream.no-such-run.metrics").doesNotContain("\tat ");
  }

  @Test
  void metricsOfAnUnknownRunCreatesNothingAndExitsTwo(KafkaSettings kafka) throws Exception {
    assertThat(run("metrics", "--bootstrap", kafka.bootstrapServers(), "--run", "nosuchrun"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err().strip()).isEqualTo("backstream: no run named 'nosuchrun' on "
        + kafka.bootstrapServers());
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(kafka.admin("test-admin"))) {
      assertThat(admin.listTopics().names().get()).noneMatch(t -> t.contains("nosuchrun"));
    }
  }

  /** The timestamps differ by when each copy was made; everything else must not. */
  private static List<String> withoutTimes(List<MetricsLine> lines) {
    return lines.stream().map(l -> l.toJson().replaceAll("\"timestamp\":\\d+", "")).toList();
  }
}
