package dev.backstream.common.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Real MNIST for tests, small enough to commit: the first {@value #SUBSET_TRAIN} training and first
 * {@value #SUBSET_TEST} test images, read from this jar's resources so that it works from common's
 * test-jar in other modules too. Made by {@code scripts/make-mnist-subset.sh}.
 */
public final class TestDatasets {
  /** Training images in {@link #mnistSubset()}. */
  public static final int SUBSET_TRAIN = 2000;

  /** Test images in {@link #mnistSubset()}. */
  public static final int SUBSET_TEST = 500;

  private static final String FOLDER = "/mnist-subset/";

  private TestDatasets() {}

  /**
   * The first {@value #SUBSET_TRAIN} training and {@value #SUBSET_TEST} test images of MNIST, named
   * {@link DatasetName#MNIST}. Loaded once per JVM and shared: it is immutable.
   */
  public static Dataset mnistSubset() {
    return MnistSubset.DATASET;
  }

  /** Loads on first use only, thread-safely, by the class initialisation rules. */
  private static final class MnistSubset {
    static final Dataset DATASET =
        new Dataset(
            DatasetName.MNIST,
            read(DataFile.TRAIN_IMAGES, DataFile.TRAIN_LABELS),
            read(DataFile.TEST_IMAGES, DataFile.TEST_LABELS));
  }

  private static LabeledImages read(DataFile images, DataFile labels) {
    String imagesName = FOLDER + images.gzipFileName();
    String labelsName = FOLDER + labels.gzipFileName();
    try (InputStream i = open(imagesName);
        InputStream l = open(labelsName)) {
      return IdxReader.read(imagesName, i, labelsName, l);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the MNIST subset", e);
    }
  }

  private static InputStream open(String resource) {
    InputStream in = TestDatasets.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException(
          resource + " is not on the class path; is backstream-common's test-jar a dependency?");
    }
    return in;
  }
}
