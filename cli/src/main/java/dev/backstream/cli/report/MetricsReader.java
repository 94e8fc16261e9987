package dev.backstream.cli.report;

import dev.backstream.cli.base.UserException;
import dev.backstream.cli.cluster.MetricsTopic;
import dev.backstream.common.kafka.KafkaSettings;
import dev.backstream.common.protocol.MalformedJsonException;
import dev.backstream.common.protocol.MetricsLine;
import dev.backstream.common.protocol.Topics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads a run's metrics lines from a file ({@code train --metrics-out}) or its metrics topic. */
public final class MetricsReader {
  private MetricsReader() {}

  /**
   * Reads every line of a metrics file; blank lines are skipped.
   *
   * @throws UserException exit 2 if the file is missing or not a readable file; exit 1 if a line
   *     is not a metrics line (naming the line number) or there is no epoch line
   */
  public static RunMetrics fromFile(Path file) {
    if (Files.isDirectory(file)) {
      throw UserException.usage("Invalid value " + file + " for --metrics: a directory, not a file");
    }
    List<MetricsLine> lines = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int number = 0;
      for (String text = in.readLine(); text != null; text = in.readLine()) {
        number++;
        if (!text.isBlank()) {
          lines.add(parse(file, number, text));
        }
      }
    } catch (CharacterCodingException e) {
      throw UserException.failure(file + " is not a metrics file: not UTF-8 text");
    } catch (NoSuchFileException e) {
      throw UserException.usage("Invalid value " + file + " for --metrics: no such file");
    } catch (IOException e) {
      throw UserException.usage("Invalid value " + file + " for --metrics: cannot read it ("
          + e.getMessage() + ")");
    }
    return require(RunMetrics.of(lines), file + " has no epoch lines: a run writes one at the end "
        + "of each epoch (was it stopped before its first?)");
  }

  private static MetricsLine parse(Path file, int number, String text) {
    try {
      return MetricsLine.parse(text);
    } catch (MalformedJsonException e) {
      throw UserException.failure(file + ":" + number + ": not a metrics line: " + e.getMessage());
    }
  }

  /**
   * Reads a run's metrics topic from its beginning to its current end. Records that are not
   * metrics lines are skipped with a note on {@code err}.
   *
   * @throws UserException exit 1 if the topic does not exist or holds no epoch line
   * @throws dev.backstream.common.kafka.KafkaUnreachableException if the broker does not answer
   */
  public static RunMetrics fromTopic(KafkaSettings kafka, Topics topics, Duration timeout,
      PrintWriter err) {
    List<MetricsLine> lines = new ArrayList<>();
    String where = "run '" + topics.run() + "' on " + kafka.bootstrapServers();
    try (MetricsTopic topic = new MetricsTopic(kafka, topics, "backstream-report", timeout)) {
      if (!topic.exists()) {
        throw UserException.failure("no " + where + ": there is no topic " + topic.name()
            + " (check --run)");
      }
      topic.read(false, new MetricsTopic.Handler() {
        @Override
        public void line(long offset, MetricsLine line) {
          lines.add(line);
        }

        @Override
        public void malformed(long offset, String why) {
          err.println("backstream: skipped record " + offset + " of " + topic.name() + ": " + why);
        }
      });
      return require(RunMetrics.of(lines), where + " has no epoch on " + topic.name()
          + " yet: a run publishes one at the end of each epoch");
    }
  }

  private static RunMetrics require(RunMetrics metrics, String otherwise) {
    if (metrics == null) {
      throw UserException.failure(otherwise);
    }
    return metrics;
  }
}
