package dev.backstream.cli.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.backstream.cli.base.UserException;
import dev.backstream.common.files.AtomicFile;
import dev.backstream.coordinator.training.TrainingSummary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one-line result of a run for people, and the {@code --summary} JSON for programs. */
public final class SummaryWriter {
  private SummaryWriter() {}

  /** One line: steps, time, accuracies and the model's SHA-256. */
  public static String line(TrainingSummary s) {
    return String.format(
        "done: %d steps in %.1f s (%.1f steps/s)  train acc %.4f  test acc %.4f  loss %.4f%n"
            + "paramsSha256 %s",
        s.steps(), s.wallSeconds(), s.stepsPerSecond(), s.trainAccuracy(), s.testAccuracy(),
        s.loss(), s.paramsSha256());
  }

  /** The summary as a flat JSON object, with extra fields (e.g. workers) after the standard ones. */
  public static Map<String, Object> fields(TrainingSummary s, Map<String, Object> extra) {
    Map<String, Object> m = s.settings().fields();
    m.put("steps", s.steps()); // the steps done, where the spec has those planned
    m.put("trainAccuracy", s.trainAccuracy());
    m.put("testAccuracy", s.testAccuracy());
    m.put("loss", s.loss());
    m.put("wallSeconds", s.wallSeconds());
    m.put("stepsPerSecond", s.stepsPerSecond());
    m.put("paramsSha256", s.paramsSha256());
    m.putAll(extra);
    return m;
  }

  /**
   * Prints the summary line and, if {@code file} is given, writes the JSON with the run's mode and
   * the cluster's counters.
   */
  public static void report(PrintWriter out, TrainingSummary s, Path file, String mode, int workers) {
    out.println(line(s));
    out.flush();
    if (file != null) {
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("mode", mode);
      if (!"local".equals(mode)) {
        if (workers > 0) {
          // a coordinator alone does not know how many worker processes there are
          extra.put("workers", workers);
        }
        extra.put("liveWorkers", s.cluster().liveWorkers());
        extra.put("shardsResent", s.cluster().shardsResent());
        extra.put("framesRejected", s.cluster().framesRejected());
        extra.put("rejectedByReason", s.cluster().rejectedByReason());
      }
      write(file, fields(s, extra));
    }
  }

  /** Writes the JSON object to {@code file} atomically. */
  public static void write(Path file, Map<String, Object> fields) {
    try {
      byte[] json =
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(fields);
      // a text file ends its last line, so `cat` and `wc -l` behave
      AtomicFile.write(file, out -> {
        out.write(json);
        out.write('\n');
      });
    } catch (IOException e) {
      throw UserException.failure("cannot write --summary " + file + ": " + e.getMessage());
    }
  }
}
