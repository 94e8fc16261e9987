package dev.backstream.cli.report;

import dev.backstream.cli.base.ExitCodes;
import dev.backstream.cli.base.OutputFile;
import dev.backstream.cli.base.UserException;
import dev.backstream.cli.options.KafkaOptions;
import dev.backstream.common.files.AtomicFile;
import dev.backstream.common.protocol.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code backstream report}: a run's accuracy chart, loss chart and an HTML page with both, its
 * settings and its summary, from its metrics topic or a {@code train --metrics-out} file.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {"Draw a run's accuracy and loss and write accuracy.png, loss.png and a "
        + "self-contained report.html into --out.",
        "The metrics come from --metrics FILE (train --metrics-out, metrics --json) or from the "
            + "run's metrics topic (--bootstrap, --run), read to its current end."})
public final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin KafkaOptions kafka;

  @Option(names = "--metrics", paramLabel = "FILE", defaultValue = "${env:BACKSTREAM_METRICS}",
      description = "Read the metrics from FILE, one JSON line each, instead of Kafka "
          + "(env BACKSTREAM_METRICS).")
  Path metrics;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "${env:BACKSTREAM_OUT}",
      description = "Where to write the files; created if missing, its parent must exist "
          + "(env BACKSTREAM_OUT).")
  Path out;

  @Override
  public Integer call() {
    // charts are drawn off screen, on machines without a display too; set before AWT loads
    System.setProperty("java.awt.headless", "true");
    PrintWriter stdout = spec.commandLine().getOut();
    if (out == null || out.toString().isBlank()) {
      throw UserException.usage("Missing --out DIR (or env BACKSTREAM_OUT)");
    }
    OutputFile.folder("--out", out);
    if (metrics != null && metrics.toString().isBlank()) {
      metrics = null;
    }
    RunMetrics run = read();
    boolean created = !Files.isDirectory(out);
    Path dir = createOut();
    byte[] accuracy = ReportCharts.accuracy(run);
    byte[] loss = ReportCharts.loss(run);
    write(dir.resolve("accuracy.png"), accuracy);
    write(dir.resolve("loss.png"), loss);
    write(dir.resolve("report.html"),
        ReportHtml.page(run, accuracy, loss).getBytes(StandardCharsets.UTF_8));
    stdout.println("Report of run '" + run.run() + "' (" + run.epochs().size() + " epochs, "
        + run.losses().length + " step losses) in " + dir + (created ? " (created)" : "")
        + ": accuracy.png loss.png report.html");
    stdout.flush();
    return ExitCodes.OK;
  }

  private RunMetrics read() {
    boolean bootstrapGiven = spec.commandLine().getParseResult().hasMatchedOption("--bootstrap");
    if (metrics != null && bootstrapGiven) {
      throw UserException.usage("Give --metrics FILE or --bootstrap HOST:PORT, not both");
    }
    if (metrics != null) {
      return MetricsReader.fromFile(metrics);
    }
    if (kafka.bootstrap() == null) {
      throw UserException.usage(
          "Missing --metrics FILE or --bootstrap HOST:PORT (or env BACKSTREAM_BOOTSTRAP)");
    }
    return MetricsReader.fromTopic(kafka.settings(), Topics.forRun(kafka.run()),
        kafka.connectTimeout(), spec.commandLine().getErr());
  }

  private Path createOut() {
    try {
      // only the folder named: a mistyped parent is an error, not a tree of new folders
      return Files.isDirectory(out) ? out : Files.createDirectory(out);
    } catch (IOException e) {
      throw UserException.failure("cannot create --out " + out + ": " + e);
    }
  }

  /** Atomically, like every file we write: a report cut short never replaces a whole one. */
  private static void write(Path file, byte[] bytes) {
    try {
      AtomicFile.write(file, out -> out.write(bytes));
    } catch (IOException e) {
      throw UserException.failure("cannot write " + file + ": " + e);
    }
  }
}
