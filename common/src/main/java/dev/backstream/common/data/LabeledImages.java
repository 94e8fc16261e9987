package dev.backstream.common.data;

import java.util.Arrays;

/**
 * A set of grey-scale images with a class label each, kept as the file's unsigned bytes.
 *
 * <p>Bytes rather than doubles because the full MNIST training set is 47 MB this way and 376 MB as
 * doubles; callers convert the few images of a minibatch with {@link #pixel(int, int)}.
 *
 * <p>Immutable: the constructor copies both arrays and {@link #pixels()} and {@link #labels()}
 * return copies, so prefer {@link #pixel(int, int)} and {@link #label(int)} in loops.
 *
 * @param pixels image {@code i}'s pixel {@code p} is at {@code i * rows * cols + p}, row-major,
 *     each byte an intensity 0..255 (0 is background)
 * @param labels one class 0..9 per image
 * @param rows image height in pixels, at least 1
 * @param cols image width in pixels, at least 1
 */
public record LabeledImages(byte[] pixels, byte[] labels, int rows, int cols) {

  /**
   * How many classes every dataset backstream reads has (MNIST's digits, Fashion-MNIST's clothes:
   * ten each): labels are 0..9, and it is the width of the network's output layer.
   */
  public static final int CLASSES = 10;

  /** Copies and checks the arrays: one image of {@code rows x cols} per label, labels 0..9. */
  public LabeledImages {
    if (rows < 1 || cols < 1) {
      throw new IllegalArgumentException(
          "image size " + rows + "x" + cols + " must be at least 1x1");
    }
    long expected = (long) labels.length * rows * cols;
    if (pixels.length != expected) {
      throw new IllegalArgumentException(
          pixels.length
              + " pixels do not make "
              + labels.length
              + " images of "
              + rows
              + "x"
              + cols
              + " ("
              + expected
              + " pixels)");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= CLASSES) {
        throw new IllegalArgumentException(
            "label " + labels[i] + " of image " + i + " is not in 0.." + (CLASSES - 1));
      }
    }
    pixels = pixels.clone();
    labels = labels.clone();
  }

  /** A copy of all pixels; 47 MB for the MNIST training set, so not for loops. */
  @Override
  public byte[] pixels() {
    return pixels.clone();
  }

  /** A copy of all labels, each 0..9. */
  @Override
  public byte[] labels() {
    return labels.clone();
  }

  /** The number of images. */
  public int count() {
    return labels.length;
  }

  /** The number of pixels per image, {@code rows * cols}: the network's input width. */
  public int features() {
    return rows * cols;
  }

  /** The class of image {@code i}, 0..9. */
  public int label(int i) {
    return labels[i];
  }

  /** Pixel {@code p} (0 .. features()-1, row-major) of image {@code i}, 0..255. */
  public int pixel(int i, int p) {
    if (p < 0 || p >= rows * cols) {
      // Without this a bad p would silently read the neighbouring image.
      throw new IndexOutOfBoundsException("pixel " + p + " of a " + rows + "x" + cols + " image");
    }
    return Byte.toUnsignedInt(pixels[i * rows * cols + p]);
  }

  /**
   * Copies the {@link #features()} pixel bytes of image {@code i} into {@code dst} from {@code
   * offset} on: for loops over whole images, which scan bytes far faster than {@link #pixel}
   * calls. Modified: dst.
   *
   * @throws IndexOutOfBoundsException if {@code i} is not an image or dst is too short
   */
  public void copyImage(int i, byte[] dst, int offset) {
    int size = rows * cols;
    if (i < 0 || i >= labels.length) {
      throw new IndexOutOfBoundsException("image " + i + " of " + labels.length);
    }
    System.arraycopy(pixels, i * size, dst, offset, size);
  }

  /** A copy of the first {@code n} images and labels, 0 &lt;= n &lt;= count(). */
  public LabeledImages head(int n) {
    if (n < 0 || n > count()) {
      throw new IllegalArgumentException("head(" + n + ") of " + count() + " images");
    }
    return new LabeledImages(
        Arrays.copyOf(pixels, n * features()), Arrays.copyOf(labels, n), rows, cols);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabeledImages other
        && rows == other.rows
        && cols == other.cols
        && Arrays.equals(labels, other.labels)
        && Arrays.equals(pixels, other.pixels);
  }

  /** Hashes labels and shape only: consistent with equals and avoids reading 47 MB of pixels. */
  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(labels) + rows) + cols;
  }

  @Override
  public String toString() {
    return "LabeledImages[" + count() + " images of " + rows + "x" + cols + "]";
  }
}
