package dev.backstream.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.testing.Cli;
import dev.backstream.cli.testing.SubsetOnDisk;
import dev.backstream.common.data.DatasetName;
import dev.backstream.common.nn.Activation;
import dev.backstream.common.protocol.LossRecord;
import dev.backstream.common.protocol.MetricsLine;
import dev.backstream.common.protocol.MetricsRecord;
import dev.backstream.common.protocol.RunRecord;
import dev.backstream.common.protocol.RunSpec;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report} from a metrics file, and {@code train --metrics-out} that writes one. */
class ReportCommandTest {
  /** The book's first two epochs, with a settings line and the loss of 1,200 steps. */
  static final List<MetricsLine> BOOK = List.of(
      new RunRecord("book", "local", new RunSpec(DatasetName.MNIST, 10_000, 100, 0.1, 50,
        Activation.RELU, 0, 4, 0.01), 600, 1L),
      new LossRecord("book", 1, LongStream.rangeClosed(1, 600).mapToDouble(s -> 2.3 / s).toArray()),
      new MetricsRecord("book", 1, 600, 0.9049, 0.9067, 0.7186, 432.8, 0, 0, 0, Map.of(), 1.4, 2L),
      new LossRecord("book", 601, LongStream.rangeClosed(601, 1200).mapToDouble(s -> 0.3).toArray()),
      new MetricsRecord("book", 2, 1200, 0.9207, 0.9237, 0.3012, 537.4, 0, 0, 0, Map.of(), 2.2, 3L));

  @TempDir Path dir;
  private final Cli cli = new Cli();

  private int run(String... args) {
    return cli.run(args);
  }

  static Path write(Path file, List<MetricsLine> lines) throws Exception {
    Files.write(file, lines.stream().map(MetricsLine::toJson).toList());
    return file;
  }

  @Test
  void aMetricsFileGivesTwoChartsAndAPageWithThemAndTheRunsNumbers() throws Exception {
    Path metrics = write(dir.resolve("m.jsonl"), BOOK);
    Path report = dir.resolve("report");

    assertThat(run("report", "--metrics", metrics.toString(), "--out", report.toString())).isZero();

    assertThat(cli.out()).contains("2 epochs", "1200 step losses");
    assertReport(report, "0.9237", "0.3012", "relu", "0.01", "600");
  }

  /** Checks the three files and that the page shows the charts and {@code values}. */
  static void assertReport(Path report, String... values) throws Exception {
    for (String chart : new String[] {"accuracy.png", "loss.png"}) {
      BufferedImage image = ImageIO.read(report.resolve(chart).toFile());
      assertThat(image).as(chart).isNotNull();
      assertThat(image.getWidth()).isEqualTo(ReportCharts.WIDTH);
      assertThat(image.getHeight()).isEqualTo(ReportCharts.HEIGHT);
    }
    String html = Files.readString(report.resolve("report.html"));
    Base64.Encoder b64 = Base64.getEncoder();
    assertThat(html).startsWith("<!DOCTYPE html>")
        .contains("data:image/png;base64," + b64.encodeToString(Files.readAllBytes(report.resolve("accuracy.png"))))
        .contains("data:image/png;base64," + b64.encodeToString(Files.readAllBytes(report.resolve("loss.png"))))
        .contains(values)
        .doesNotContain("src=\"http", "<script");
  }

  @Test
  void trainLocalWritesTheSettingsEveryStepsLossAndEveryEpoch() throws Exception {
    Path data = SubsetOnDisk.write(Files.createDirectories(dir.resolve("data")));
    Path metrics = dir.resolve("m.jsonl");

    assertThat(run("train", "--local", "--data", data.toString(), "--steps", "50",
        "--metrics-out", metrics.toString())).isZero();

    List<MetricsLine> lines =
        Files.readAllLines(metrics).stream().map(MetricsLine::parse).toList();
    assertThat(lines.get(0)).isInstanceOfSatisfying(RunRecord.class, r -> {
      assertThat(r.spec().steps()).isEqualTo(50);
      assertThat(r.mode()).isEqualTo("local");
      assertThat(r.stepsPerEpoch()).isEqualTo(20); // 2,000 images in batches of 100
    });
    assertThat(lines).filteredOn(MetricsRecord.class::isInstance).map(MetricsRecord.class::cast)
        .extracting(MetricsRecord::step).containsExactly(20L, 40L, 50L);
    RunMetrics run = RunMetrics.of(lines);
    assertThat(run.steps()).containsExactly(LongStream.rangeClosed(1, 50).toArray());
    assertThat(java.util.Arrays.stream(run.losses()).boxed()).allSatisfy(l -> assertThat(l).isBetween(0.0, 3.0));
    assertThat(cli.out()).contains(String.format("test acc %.4f", run.last().testAccuracy()));

    assertThat(run("report", "--metrics", metrics.toString(), "--out", dir.resolve("r").toString()))
        .isZero();
    assertReport(dir.resolve("r"), String.format("%.4f", run.last().testAccuracy()));
  }

  @Test
  void aBadLineIsNamedByItsNumber() throws Exception {
    Path metrics = write(dir.resolve("m.jsonl"), BOOK.subList(0, 3));
    Files.writeString(metrics, "{\"type\":\"epoch\",\"run\":\n", java.nio.file.StandardOpenOption.APPEND);

    assertThat(run("report", "--metrics", metrics.toString(), "--out", dir.toString()))
        .isEqualTo(ExitCodes.FAILURE);
    assertOneLine(metrics + ":4: not a metrics line: Malformed metrics line JSON");
    assertThat(dir.resolve("report.html")).doesNotExist();
  }

  @Test
  void aFileWithoutEpochsSaysSo() throws Exception {
    Path metrics = write(dir.resolve("m.jsonl"), BOOK.subList(0, 2));

    assertThat(run("report", "--metrics", metrics.toString(), "--out", dir.toString()))
        .isEqualTo(ExitCodes.FAILURE);
    assertOneLine(metrics + " has no epoch lines");
  }

  @Test
  void usageMistakesExitTwo() throws Exception {
    Path metrics = write(dir.resolve("m.jsonl"), BOOK);
    Path missing = dir.resolve("missing.jsonl");
    String outDir = dir.resolve("r").toString();

    assertThat(run("report", "--metrics", missing.toString(), "--out", outDir)).isEqualTo(ExitCodes.USAGE);
    assertThat(run("report", "--metrics", metrics.toString(), "--out", metrics.toString()))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(run("report", "--metrics", dir.toString(), "--out", outDir)).isEqualTo(ExitCodes.USAGE);
    assertThat(run("report", "--metrics", metrics.toString(), "--bootstrap", "localhost:1",
        "--out", outDir)).isEqualTo(ExitCodes.USAGE);
    assertThat(run("report", "--metrics", metrics.toString())).isEqualTo(ExitCodes.USAGE);

    assertThat(cli.err())
        .contains("Invalid value " + missing + " for --metrics: no such file")
        .contains("Invalid value " + metrics + " for --out: is not a directory")
        .contains("Invalid value " + dir + " for --metrics: a directory, not a file")
        .contains("Give --metrics FILE or --bootstrap HOST:PORT, not both")
        .contains("Missing --out DIR (or env BACKSTREAM_OUT)")
        .doesNotContain("Exception", "\tat ");
  }

  private void assertOneLine(String message) {
    assertThat(cli.err()).startsWith("backstream: " + message).doesNotContain("\tat ");
    assertThat(cli.err().lines()).hasSize(1);
  }

  @Test
  void theLossIsSmoothedByATrailingMean() {
    assertThat(ReportCharts.movingAverage(new double[] {4, 2, 6, 0}, 2)).containsExactly(4, 3, 4, 3);
    assertThat(ReportCharts.window(10_000)).isEqualTo(100);
    // before: a 1,200-step run was smoothed over 24 steps where the README says 100
    assertThat(ReportCharts.window(1_200)).isEqualTo(100);
    assertThat(ReportCharts.window(40)).isEqualTo(20);
    assertThat(ReportCharts.window(1)).isEqualTo(1);
  }
}
