package dev.backstream.cli.report;

import dev.backstream.cli.base.UserException;
import dev.backstream.cli.live.CompositeListener;
import dev.backstream.common.protocol.MetricsLine;
import dev.backstream.common.protocol.RunSpec;
import dev.backstream.coordinator.training.MetricsLines;
import dev.backstream.coordinator.training.TrainingListener;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@code train --metrics-out FILE}: the run's metrics lines, the same as on its metrics topic,
 * one JSON object per line. Lines are written on a thread of their own, so that the step loop
 * (the coordinator's actor, or the local trainer) never waits for the disk.
 */
public final class MetricsOut implements AutoCloseable {
  private final Path file;
  private final BufferedWriter writer;
  private final MetricsLines lines;
  private final ExecutorService thread;
  private IOException failure; // only touched on the writer thread, read after it stopped

  private MetricsOut(Path file, BufferedWriter writer, String run, String mode,
      RunSpec settings, int trainSize) {
    this.file = file;
    this.writer = writer;
    this.lines =
        new MetricsLines(run, mode, settings, trainSize, this::write, System::currentTimeMillis);
    this.thread = writer == null ? null : Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "backstream-metrics-out");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Creates (or truncates) {@code file} for a run's lines; a null file writes nothing.
   *
   * @param run the run name
   * @param mode {@code kafka} or {@code local}
   * @param settings what is trained
   * @param trainSize training samples (they set the steps of an epoch)
   * @throws UserException (exit 1) if the file cannot be created
   */
  public static MetricsOut open(Path file, String run, String mode, RunSpec settings,
      int trainSize) {
    if (file == null) {
      return new MetricsOut(null, null, run, mode, settings, trainSize);
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return new MetricsOut(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8), run, mode,
          settings, trainSize);
    } catch (IOException e) {
      throw UserException.failure("cannot write --metrics-out " + file + ": " + e);
    }
  }

  /** Returns a listener that writes the lines of what {@code inner} is told, then tells it. */
  public TrainingListener around(TrainingListener inner) {
    return writer == null ? inner : CompositeListener.of(lines, inner);
  }

  private void write(MetricsLine line) {
    String json = line.toJson();
    thread.execute(() -> {
      if (failure == null) {
        try {
          writer.write(json);
          writer.newLine();
          writer.flush(); // a reader of the file (tail -f, a report) sees whole lines as they come
        } catch (IOException e) {
          failure = e;
        }
      }
    });
  }

  /**
   * Writes what is queued and closes the file.
   *
   * @throws UserException (exit 1) if a line could not be written
   */
  @Override
  public void close() throws InterruptedException {
    if (writer == null) {
      return;
    }
    thread.shutdown();
    thread.awaitTermination(1, TimeUnit.MINUTES);
    try {
      writer.close();
    } catch (IOException e) {
      failure = failure == null ? e : failure;
    }
    if (failure != null) {
      throw UserException.failure("cannot write --metrics-out " + file + ": " + failure);
    }
  }
}
