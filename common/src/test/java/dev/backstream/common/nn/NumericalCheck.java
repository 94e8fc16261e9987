package dev.backstream.common.nn;

import java.util.Random;
import java.util.function.DoubleSupplier;
import org.ejml.data.DMatrixRMaj;

/** Central differences for layer tests: the reference every backward is checked against. */
final class NumericalCheck {
  static final double H = 1e-5;

  private NumericalCheck() {}

  /** d f / d values[i] for every i, by central differences; restores each value. */
  static double[] gradient(double[] values, DoubleSupplier f) {
    double[] g = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      double original = values[i];
      values[i] = original + H;
      double plus = f.getAsDouble();
      values[i] = original - H;
      double minus = f.getAsDouble();
      values[i] = original;
      g[i] = (plus - minus) / (2 * H);
    }
    return g;
  }

  /** A weighted sum of the output, so that a layer's whole Jacobian is exercised by one scalar. */
  static double weighted(DMatrixRMaj out, DMatrixRMaj weights) {
    double s = 0;
    for (int i = 0; i < out.data.length; i++) {
      s += out.data[i] * weights.data[i];
    }
    return s;
  }

  static DMatrixRMaj gaussian(int rows, int cols, Random random) {
    DMatrixRMaj m = new DMatrixRMaj(rows, cols);
    for (int i = 0; i < m.data.length; i++) {
      m.data[i] = random.nextGaussian();
    }
    return m;
  }

  static double maxAbsDiff(double[] a, double[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
