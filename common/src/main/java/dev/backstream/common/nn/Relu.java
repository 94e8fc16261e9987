package dev.backstream.common.nn;

import org.ejml.data.DMatrixRMaj;

/**
 * Rectified linear unit: {@code y = max(0, x)}; backward passes {@code dout} where {@code x > 0}
 * and zero elsewhere, as the book's mask does.
 */
public final class Relu implements Layer {
  private boolean[] mask = new boolean[0];

  @Override
  public DMatrixRMaj forward(DMatrixRMaj x) {
    int n = x.getNumElements();
    if (mask.length != n) {
      mask = new boolean[n];
    }
    DMatrixRMaj out = new DMatrixRMaj(x.numRows, x.numCols);
    double[] in = x.data;
    double[] o = out.data;
    for (int i = 0; i < n; i++) {
      boolean off = in[i] <= 0.0;
      mask[i] = off;
      o[i] = off ? 0.0 : in[i];
    }
    return out;
  }

  @Override
  public DMatrixRMaj backward(DMatrixRMaj dout) {
    Shapes.requireElements("relu backward", dout, mask.length);
    DMatrixRMaj dx = new DMatrixRMaj(dout.numRows, dout.numCols);
    double[] d = dout.data;
    double[] o = dx.data;
    for (int i = 0; i < mask.length; i++) {
      o[i] = mask[i] ? 0.0 : d[i];
    }
    return dx;
  }
}
