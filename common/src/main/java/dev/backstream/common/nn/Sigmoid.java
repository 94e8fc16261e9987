package dev.backstream.common.nn;

import org.ejml.data.DMatrixRMaj;

/**
 * Logistic sigmoid: {@code y = 1 / (1 + exp(-x))}; backward is {@code dout * y * (1 - y)}, using
 * the output kept from forward. {@link StrictMath#exp} keeps the bits the same on every JVM.
 */
public final class Sigmoid implements Layer {
  private DMatrixRMaj out = new DMatrixRMaj(0, 0);

  @Override
  public DMatrixRMaj forward(DMatrixRMaj x) {
    out = new DMatrixRMaj(x.numRows, x.numCols);
    double[] in = x.data;
    double[] o = out.data;
    for (int i = 0; i < o.length; i++) {
      o[i] = 1.0 / (1.0 + StrictMath.exp(-in[i]));
    }
    return out.copy();
  }

  @Override
  public DMatrixRMaj backward(DMatrixRMaj dout) {
    Shapes.requireElements("sigmoid backward", dout, out.getNumElements());
    DMatrixRMaj dx = new DMatrixRMaj(dout.numRows, dout.numCols);
    double[] d = dout.data;
    double[] y = out.data;
    double[] o = dx.data;
    for (int i = 0; i < o.length; i++) {
      o[i] = d[i] * (1.0 - y[i]) * y[i];
    }
    return dx;
  }
}
