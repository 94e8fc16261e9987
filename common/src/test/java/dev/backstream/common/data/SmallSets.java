package dev.backstream.common.data;

import java.nio.file.Path;

/**
 * Tiny hand-made image sets for tests that need IDX files, or a dataset, but not real digits. Public
 * for other modules' tests through common's test-jar.
 */
public final class SmallSets {
  private SmallSets() {}

  /** {@code count} images of 2x3 whose pixels count up from {@code seed}, labels i mod 10. */
  public static LabeledImages images(int count, int seed) {
    byte[] pixels = new byte[count * 6];
    byte[] labels = new byte[count];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (seed + i * 37);
    }
    for (int i = 0; i < count; i++) {
      labels[i] = (byte) (i % 10);
    }
    return new LabeledImages(pixels, labels, 2, 3);
  }

  /** Writes all four files of a dataset into {@code dir}: train from seed 1, test from seed 2. */
  static Dataset writeDataset(Path dir, int train, int test, Compression compression) {
    LabeledImages trainSet = images(train, 1);
    LabeledImages testSet = images(test, 2);
    String suffix = compression == Compression.GZIP ? ".gz" : "";
    IdxWriter.write(
        trainSet,
        dir.resolve(DataFile.TRAIN_IMAGES.fileName() + suffix),
        dir.resolve(DataFile.TRAIN_LABELS.fileName() + suffix),
        compression);
    IdxWriter.write(
        testSet,
        dir.resolve(DataFile.TEST_IMAGES.fileName() + suffix),
        dir.resolve(DataFile.TEST_LABELS.fileName() + suffix),
        compression);
    return new Dataset(DatasetName.MNIST, trainSet, testSet);
  }
}
