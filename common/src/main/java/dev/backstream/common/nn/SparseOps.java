package dev.backstream.common.nn;

import java.util.Arrays;

/**
 * The one product behind both big products of an affine layer: a sparse matrix (by rows) times a
 * dense matrix held as separate row arrays.
 *
 * <p>The order of every sum is part of the contract, because the bits of a trained model depend
 * on it: each output element starts from its initial value and adds the terms of the row's
 * non-zero entries in ascending column order, in groups of four, each group summed first as
 * {@code (t0 + t1) + (t2 + t3)}; a last group of three is summed as {@code (t0 + t1) + t2}, of two
 * as {@code t0 + t1}. Plain {@code *} and {@code +} only (no fused
 * multiply-add), so the interpreter and every JIT give the same bits; the JIT's vector
 * instructions compute each element exactly as the scalar code does.
 *
 * <p>Why row arrays: HotSpot 17 only vectorises the inner loop when every array in it is indexed
 * by the same expression; rows cut out of one flat vector at different offsets are not, and the
 * scalar loop is about twice as slow. Why four terms at a time: the running sum is loaded and
 * stored once per four terms instead of once per term, which is most of the remaining cost.
 */
final class SparseOps {
  private SparseOps() {}

  /**
   * {@code c[i, :] = init + sum over the non-zero a[i, p] of a[i, p] * b[p, :]} for every row
   * {@code i} of {@code a}, in the order the class describes.
   *
   * @param a the sparse left factor, {@code n x m}; not modified
   * @param b row {@code p} of the right factor, for every {@code p} that is a column of a
   *     non-zero entry of {@code a}, each at least {@code width} long; other rows are not read;
   *     not modified
   * @param init the initial value of each output row, {@code init[initOffset ..+ width)}, or
   *     null for zeros; not modified
   * @param c receives row {@code i} at {@code c[cOffset + i * width ..+ width)}; modified
   * @param acc scratch of at least {@code width} values; modified
   */
  static void mult(
      SparseRows a, double[][] b, double[] init, int initOffset, int width, double[] c, int cOffset,
      double[] acc) {
    int[] start = a.rowStart();
    int[] cols = a.cols();
    double[] vals = a.vals();
    for (int i = 0; i < a.numRows(); i++) {
      if (init == null) {
        Arrays.fill(acc, 0, width, 0.0);
      } else {
        System.arraycopy(init, initOffset, acc, 0, width);
      }
      int k = start[i];
      int end = start[i + 1];
      for (; k + 3 < end; k += 4) {
        double v0 = vals[k];
        double v1 = vals[k + 1];
        double v2 = vals[k + 2];
        double v3 = vals[k + 3];
        double[] r0 = b[cols[k]];
        double[] r1 = b[cols[k + 1]];
        double[] r2 = b[cols[k + 2]];
        double[] r3 = b[cols[k + 3]];
        for (int j = 0; j < width; j++) {
          acc[j] += (v0 * r0[j] + v1 * r1[j]) + (v2 * r2[j] + v3 * r3[j]);
        }
      }
      // The last one to three terms as one group too: one more pass over the row, not three.
      int left = end - k;
      if (left == 3) {
        double v0 = vals[k];
        double v1 = vals[k + 1];
        double v2 = vals[k + 2];
        double[] r0 = b[cols[k]];
        double[] r1 = b[cols[k + 1]];
        double[] r2 = b[cols[k + 2]];
        for (int j = 0; j < width; j++) {
          acc[j] += (v0 * r0[j] + v1 * r1[j]) + v2 * r2[j];
        }
      } else if (left == 2) {
        double v0 = vals[k];
        double v1 = vals[k + 1];
        double[] r0 = b[cols[k]];
        double[] r1 = b[cols[k + 1]];
        for (int j = 0; j < width; j++) {
          acc[j] += v0 * r0[j] + v1 * r1[j];
        }
      } else if (left == 1) {
        double v0 = vals[k];
        double[] r0 = b[cols[k]];
        for (int j = 0; j < width; j++) {
          acc[j] += v0 * r0[j];
        }
      }
      System.arraycopy(acc, 0, c, cOffset + i * width, width);
    }
  }

  /**
   * The float32 twin of {@link #mult(SparseRows, double[][], double[], int, int, double[], int,
   * double[])}: the same order of every sum, in float arithmetic; each input {@code a[i, p]} (a
   * double of the sparse matrix) is rounded to a float first. Every product and sum is a float
   * operation, so the JIT's vectors hold twice the lanes.
   *
   * @param a the sparse left factor, {@code n x m}; not modified
   * @param b row {@code p} of the right factor, as {@link #mult}; not modified
   * @param init the initial value of every output row, {@code width} long, or null for zeros
   * @param c receives row {@code i} at {@code c[i * width ..+ width)}; modified
   * @param acc scratch of at least {@code width} values; modified
   */
  static void mult(SparseRows a, float[][] b, float[] init, int width, float[] c, float[] acc) {
    int[] start = a.rowStart();
    int[] cols = a.cols();
    double[] vals = a.vals();
    for (int i = 0; i < a.numRows(); i++) {
      if (init == null) {
        Arrays.fill(acc, 0, width, 0f);
      } else {
        System.arraycopy(init, 0, acc, 0, width);
      }
      int k = start[i];
      int end = start[i + 1];
      for (; k + 3 < end; k += 4) {
        float v0 = (float) vals[k];
        float v1 = (float) vals[k + 1];
        float v2 = (float) vals[k + 2];
        float v3 = (float) vals[k + 3];
        float[] r0 = b[cols[k]];
        float[] r1 = b[cols[k + 1]];
        float[] r2 = b[cols[k + 2]];
        float[] r3 = b[cols[k + 3]];
        for (int j = 0; j < width; j++) {
          acc[j] += (v0 * r0[j] + v1 * r1[j]) + (v2 * r2[j] + v3 * r3[j]);
        }
      }
      int left = end - k;
      if (left == 3) {
        float v0 = (float) vals[k];
        float v1 = (float) vals[k + 1];
        float v2 = (float) vals[k + 2];
        float[] r0 = b[cols[k]];
        float[] r1 = b[cols[k + 1]];
        float[] r2 = b[cols[k + 2]];
        for (int j = 0; j < width; j++) {
          acc[j] += (v0 * r0[j] + v1 * r1[j]) + v2 * r2[j];
        }
      } else if (left == 2) {
        float v0 = (float) vals[k];
        float v1 = (float) vals[k + 1];
        float[] r0 = b[cols[k]];
        float[] r1 = b[cols[k + 1]];
        for (int j = 0; j < width; j++) {
          acc[j] += v0 * r0[j] + v1 * r1[j];
        }
      } else if (left == 1) {
        float v0 = (float) vals[k];
        float[] r0 = b[cols[k]];
        for (int j = 0; j < width; j++) {
          acc[j] += v0 * r0[j];
        }
      }
      System.arraycopy(acc, 0, c, i * width, width);
    }
  }
}
