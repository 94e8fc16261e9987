package dev.backstream.common.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the MNIST subset the tests use: the first training and test images of the real,
 * checksum-verified MNIST, as gzip IDX files. Run by {@code scripts/make-mnist-subset.sh}.
 *
 * <p>Arguments: the folder of the full MNIST (raw or .gz files), the output folder, and optionally
 * the number of training and test images (2000 and 500).
 */
public final class MnistSubsetGenerator {
  private MnistSubsetGenerator() {}

  /** Entry point; see the class comment for the arguments. */
  public static void main(String[] args) throws IOException {
    if (args.length != 2 && args.length != 4) {
      throw new IllegalArgumentException("usage: MNIST_DIR OUT_DIR [TRAIN_COUNT TEST_COUNT]");
    }
    Path out = Files.createDirectories(Path.of(args[1]));
    int trainCount = args.length == 4 ? Integer.parseInt(args[2]) : TestDatasets.SUBSET_TRAIN;
    int testCount = args.length == 4 ? Integer.parseInt(args[3]) : TestDatasets.SUBSET_TEST;
    Dataset full = DataCache.load(DatasetName.MNIST, Path.of(args[0]));
    write(full.train().head(trainCount), out, DataFile.TRAIN_IMAGES, DataFile.TRAIN_LABELS);
    write(full.test().head(testCount), out, DataFile.TEST_IMAGES, DataFile.TEST_LABELS);
  }

  private static void write(LabeledImages set, Path out, DataFile images, DataFile labels) {
    // Java's gzip header carries no time stamp, so the same input gives the same bytes.
    IdxWriter.write(
        set,
        out.resolve(images.gzipFileName()),
        out.resolve(labels.gzipFileName()),
        Compression.GZIP);
  }
}
