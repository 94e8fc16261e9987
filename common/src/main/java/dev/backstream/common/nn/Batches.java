package dev.backstream.common.nn;

import dev.backstream.common.data.LabeledImages;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.ejml.data.DMatrixRMaj;

/**
 * Turns images kept as bytes into the network's input rows ({@code pixel / 255.0}), one batch at
 * a time, so that a dataset is never held as a double per pixel.
 */
public final class Batches {
  /** {@code v / 255.0} for every byte value: the same doubles as dividing, looked up. */
  private static final double[] PIXEL_VALUES = new double[256];

  static {
    for (int v = 1; v < 256; v++) {
      PIXEL_VALUES[v] = v / 255.0;
    }
  }

  /** Eight pixels at a time, little-endian so that byte {@code b} of a word is pixel {@code q + b}. */
  private static final VarHandle WORDS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Batches() {}

  /**
   * Builds the {@code (to - from) x features} input matrix of the images {@code indices[from..to)}.
   * Not modified: images, indices.
   */
  public static DMatrixRMaj inputs(LabeledImages images, int[] indices, int from, int to) {
    int features = images.features();
    DMatrixRMaj x = new DMatrixRMaj(to - from, features);
    double[] d = x.data;
    for (int r = 0; r < to - from; r++) {
      int image = indices[from + r];
      int dst = r * features;
      for (int p = 0; p < features; p++) {
        int v = images.pixel(image, p);
        d[dst + p] = v == 0 ? 0.0 : v / 255.0;
      }
    }
    return x;
  }

  /**
   * The same inputs as {@link #inputs} as {@link SparseRows}, built straight from the bytes
   * without a dense matrix. Not modified: images, indices.
   */
  public static SparseRows sparseInputs(LabeledImages images, int[] indices, int from, int to) {
    return sparseInputs(images, indices, from, to, new SparseRows(0, images.features()));
  }

  /**
   * {@link #sparseInputs(LabeledImages, int[], int, int)} into {@code dst}, reusing its arrays.
   *
   * @param dst reshaped to {@code (to - from) x features} and overwritten
   * @return dst
   */
  public static SparseRows sparseInputs(
      LabeledImages images, int[] indices, int from, int to, SparseRows dst) {
    int features = images.features();
    int rows = to - from;
    dst.reshape(rows, features);
    // Whole 8-byte words, so that background is skipped eight pixels at a time.
    byte[] image = new byte[(features + 7) & ~7];
    int[] rowStart = dst.rowStart();
    double[] table = PIXEL_VALUES;
    int k = 0;
    for (int r = 0; r < rows; r++) {
      rowStart[r] = k;
      images.copyImage(indices[from + r], image, 0);
      // Up to eight slots to spare: each word writes all its eight bytes and only advances past
      // the non-zero ones.
      dst.ensureCapacity(k + image.length + 8);
      int[] cols = dst.cols();
      double[] vals = dst.vals();
      for (int q = 0; q < image.length; q += 8) {
        long word = (long) WORDS.get(image, q);
        if (word == 0L) {
          continue;
        }
        // Branch-free and unrolled: which pixels are ink is data, and a mispredicted branch at
        // every change between ink and background would cost more than the rest of the loop.
        int v = (int) word & 0xff;
        cols[k] = q;
        vals[k] = table[v];
        k += (v + 0xff) >>> 8;
        v = (int) (word >>> 8) & 0xff;
        cols[k] = q + 1;
        vals[k] = table[v];
        k += (v + 0xff) >>> 8;
        v = (int) (word >>> 16) & 0xff;
        cols[k] = q + 2;
        vals[k] = table[v];
        k += (v + 0xff) >>> 8;
        v = (int) (word >>> 24) & 0xff;
        cols[k] = q + 3;
        vals[k] = table[v];
        k += (v + 0xff) >>> 8;
        v = (int) (word >>> 32) & 0xff;
        cols[k] = q + 4;
        vals[k] = table[v];
        k += (v + 0xff) >>> 8;
        v = (int) (word >>> 40) & 0xff;
        cols[k] = q + 5;
        vals[k] = table[v];
        k += (v + 0xff) >>> 8;
        v = (int) (word >>> 48) & 0xff;
        cols[k] = q + 6;
        vals[k] = table[v];
        k += (v + 0xff) >>> 8;
        v = (int) (word >>> 56) & 0xff;
        cols[k] = q + 7;
        vals[k] = table[v];
        k += (v + 0xff) >>> 8;
      }
    }
    rowStart[rows] = k;
    return dst;
  }

  /** The labels (0..9) of the images {@code indices[from..to)}. Not modified: images, indices. */
  public static int[] labels(LabeledImages images, int[] indices, int from, int to) {
    int[] t = new int[to - from];
    for (int r = 0; r < t.length; r++) {
      t[r] = images.label(indices[from + r]);
    }
    return t;
  }

  /** The consecutive image numbers {@code [from, to)}: for evaluating a whole set in chunks. */
  public static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }
}
