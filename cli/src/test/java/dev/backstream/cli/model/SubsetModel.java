package dev.backstream.cli.model;

import dev.backstream.cli.testing.Cli;
import dev.backstream.cli.testing.SubsetOnDisk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One model trained on the committed MNIST subset by {@code train --local --save-model}, once per
 * test JVM, for the tests of this package: {@value #STEPS} steps of the book's settings (seed 0)
 * reach 0.874 test accuracy on the subset's 500 test images.
 */
final class SubsetModel {
  /** Enough for the digits the tests check; a few seconds of training. */
  static final int STEPS = 600;

  private SubsetModel() {}

  /** The folder with the subset's four gzip IDX files. */
  static Path data() {
    return Trained.DATA;
  }

  /** The model file. */
  static Path model() {
    return Trained.MODEL;
  }

  /** The run's {@code --summary} JSON. */
  static Path summary() {
    return Trained.SUMMARY;
  }

  private static final class Trained {
    static final Path DIR = Path.of("target", "subset-model").toAbsolutePath();
    static final Path DATA = DIR.resolve("data");
    static final Path MODEL = DIR.resolve("model.npz");
    static final Path SUMMARY = DIR.resolve("summary.json");

    static {
      try {
        SubsetOnDisk.write(Files.createDirectories(DATA));
        Files.deleteIfExists(MODEL);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Cli cli = new Cli();
      int code = cli.run("train", "--local", "--data", DATA.toString(), "--steps",
          String.valueOf(STEPS), "--save-model", MODEL.toString(), "--summary", SUMMARY.toString());
      if (code != 0) {
        throw new IllegalStateException("train --save-model failed (" + code + "): " + cli.err());
      }
    }
  }
}
