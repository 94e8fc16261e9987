package dev.backstream.common.nn;

import org.ejml.data.DMatrixRMaj;

/**
 * Rectified linear unit: {@code y = max(0, x)}; backward passes {@code dout} where {@code x > 0}
 * and zero elsewhere, as the book's mask does.
 */
public final class Relu implements Layer {
  /**
   * All ones where x passed ({@code x > 0} or NaN), all zeros where it was cut: ANDed with a
   * value's bits it keeps the value or makes it {@code +0.0}, without a branch. Which units are
   * cut is data, about half of them, so a branch would be mispredicted half the time.
   */
  private long[] mask = new long[0];

  @Override
  public void forward(DMatrixRMaj x, DMatrixRMaj out) {
    int n = x.getNumElements();
    if (mask.length != n) {
      mask = new long[n];
    }
    out.reshape(x.numRows, x.numCols);
    double[] in = x.data;
    double[] o = out.data;
    for (int i = 0; i < n; i++) {
      long keep = in[i] <= 0.0 ? 0L : -1L;
      mask[i] = keep;
      o[i] = Double.longBitsToDouble(Double.doubleToRawLongBits(in[i]) & keep);
    }
  }

  @Override
  public void backward(DMatrixRMaj dout, DMatrixRMaj dx) {
    Shapes.requireElements("relu backward", dout, mask.length);
    dx.reshape(dout.numRows, dout.numCols);
    double[] d = dout.data;
    double[] o = dx.data;
    for (int i = 0; i < mask.length; i++) {
      o[i] = Double.longBitsToDouble(Double.doubleToRawLongBits(d[i]) & mask[i]);
    }
  }
}
