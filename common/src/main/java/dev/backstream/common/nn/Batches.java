package dev.backstream.common.nn;

import dev.backstream.common.data.LabeledImages;
import org.ejml.data.DMatrixRMaj;

/**
 * Turns images kept as bytes into the network's input rows ({@code pixel / 255.0}), one batch at
 * a time, so that a dataset is never held as a double per pixel.
 */
public final class Batches {
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
