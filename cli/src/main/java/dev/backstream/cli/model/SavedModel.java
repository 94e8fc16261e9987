package dev.backstream.cli.model;

import dev.backstream.cli.base.UserException;
import dev.backstream.cli.base.VersionProvider;
import dev.backstream.cli.console.SummaryWriter;
import dev.backstream.common.model.ModelFile;
import dev.backstream.common.model.ModelFileException;
import dev.backstream.coordinator.training.TrainingSummary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code train --save-model FILE}: the run's final parameters with its settings and results. */
public final class SavedModel {
  private SavedModel() {}

  /**
   * The model a run ended on, its settings holding the summary's fields (those of {@code
   * --summary}, the spec's among them), the mode, our version and the platform.
   */
  public static ModelFile of(TrainingSummary summary, String mode) {
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("mode", mode);
    extra.put("backstream", VersionProvider.version());
    extra.putAll(ModelFile.platform());
    Map<String, String> settings = new LinkedHashMap<>();
    SummaryWriter.fields(summary, extra).forEach((k, v) -> settings.put(k, String.valueOf(v)));
    return ModelFile.of(summary.params(), summary.settings().activation(), settings);
  }

  /**
   * Writes the run's model to {@code file} and says so on {@code out}.
   *
   * @throws UserException (exit 1) naming the file if it cannot be written
   */
  public static void write(PrintWriter out, Path file, TrainingSummary summary, String mode) {
    try {
      of(summary, mode).write(file);
    } catch (ModelFileException e) {
      throw UserException.failure("cannot write --save-model " + e.getMessage());
    }
    out.println("model written to " + file + " (numpy .npz: W1, b1, W2, b2, settings, paramsSha256)");
    out.flush();
  }
}
