package dev.backstream.common.data;

/**
 * The four IDX files every dataset of the MNIST family consists of.
 *
 * <p>The constant order is the order files are fetched and loaded in: training set first, images
 * before labels.
 */
public enum DataFile {
  /** Training images: IDX3, 60,000 x 28 x 28 unsigned bytes for MNIST. */
  TRAIN_IMAGES("train-images-idx3-ubyte", true),
  /** Training labels: IDX1, 60,000 unsigned bytes in 0..9. */
  TRAIN_LABELS("train-labels-idx1-ubyte", false),
  /** Test images: IDX3, 10,000 x 28 x 28 unsigned bytes. */
  TEST_IMAGES("t10k-images-idx3-ubyte", true),
  /** Test labels: IDX1, 10,000 unsigned bytes in 0..9. */
  TEST_LABELS("t10k-labels-idx1-ubyte", false);

  private final String fileName;
  private final boolean images;

  DataFile(String fileName, boolean images) {
    this.fileName = fileName;
    this.images = images;
  }

  /** The uncompressed file name, e.g. {@code train-images-idx3-ubyte}. */
  public String fileName() {
    return fileName;
  }

  /** The gzip file name the public mirrors use: {@link #fileName()} plus {@code .gz}. */
  public String gzipFileName() {
    return fileName + ".gz";
  }

  /** True for the two image files, false for the two label files. */
  public boolean isImages() {
    return images;
  }
}
