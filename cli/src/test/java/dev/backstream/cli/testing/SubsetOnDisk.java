package dev.backstream.cli.testing;

import dev.backstream.common.data.Compression;
import dev.backstream.common.data.DataFile;
import dev.backstream.common.data.Dataset;
import dev.backstream.common.data.IdxWriter;
import dev.backstream.common.data.TestDatasets;
import java.nio.file.Path;

/** Writes the committed MNIST subset as IDX files, for processes that read a data folder. */
public final class SubsetOnDisk {
  private SubsetOnDisk() {}

  /** Writes the four gzip files into {@code dir} and returns {@code dir}. */
  public static Path write(Path dir) {
    Dataset subset = TestDatasets.mnistSubset();
    IdxWriter.write(subset.train(), dir.resolve(DataFile.TRAIN_IMAGES.gzipFileName()),
        dir.resolve(DataFile.TRAIN_LABELS.gzipFileName()), Compression.GZIP);
    IdxWriter.write(subset.test(), dir.resolve(DataFile.TEST_IMAGES.gzipFileName()),
        dir.resolve(DataFile.TEST_LABELS.gzipFileName()), Compression.GZIP);
    return dir;
  }
}
