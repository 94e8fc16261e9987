package dev.backstream.common.nn;

import org.ejml.data.DMatrixRMaj;

/**
 * Logistic sigmoid: {@code y = 1 / (1 + exp(-x))}; backward is {@code dout * y * (1 - y)}, using
 * the output kept from forward. {@link StrictMath#exp} keeps the bits the same on every JVM.
 */
public final class Sigmoid implements Layer {
  private final DMatrixRMaj y = new DMatrixRMaj(0, 0);

  @Override
  public void forward(DMatrixRMaj x, DMatrixRMaj out) {
    y.reshape(x.numRows, x.numCols);
    double[] in = x.data;
    double[] o = y.data;
    for (int i = 0; i < x.getNumElements(); i++) {
      o[i] = 1.0 / (1.0 + StrictMath.exp(-in[i]));
    }
    out.setTo(y);
  }

  @Override
  public void backward(DMatrixRMaj dout, DMatrixRMaj dx) {
    Shapes.requireElements("sigmoid backward", dout, y.getNumElements());
    dx.reshape(dout.numRows, dout.numCols);
    double[] d = dout.data;
    double[] yv = y.data;
    double[] o = dx.data;
    for (int i = 0; i < y.getNumElements(); i++) {
      o[i] = d[i] * (1.0 - yv[i]) * yv[i];
    }
  }
}
