package dev.backstream.coordinator.training;

import dev.backstream.common.nn.Dtype;
import dev.backstream.common.nn.FlatVector;

/**
 * Plain stochastic gradient descent, {@code p - lr * (sum / batch)}, as the book's SGD class.
 *
 * <p>Each updated value is computed once, into a vector the caller owns, and tested for
 * finiteness in the same pass: the caller applies the update (takes the new vector as its
 * parameters) only when the step has not diverged, so the parameters stay those of the last
 * finite step without a second pass or a rollback.
 */
public final class Sgd {
  private Sgd() {}

  /**
   * Computes one step into {@code next}, in the vectors' number type: in float32 every operation
   * is a float one ({@code lr} rounded to float), so the parameters stay float values.
   *
   * @param params the step's parameters; not modified
   * @param gradientSum the batch's summed gradient; not modified
   * @param batch number of samples summed, at least 1
   * @param learningRate positive step size
   * @param next receives the updated parameters, fully overwritten; must not be {@code params} or
   *     {@code gradientSum}
   * @return whether every updated value is finite
   * @throws IllegalArgumentException if the vectors differ in length or number type, or alias
   */
  public static boolean step(FlatVector params, FlatVector gradientSum, int batch,
      double learningRate, FlatVector next) {
    if (params.length() != gradientSum.length() || params.length() != next.length()
        || gradientSum.dtype() != params.dtype() || next.dtype() != params.dtype()) {
      throw new IllegalArgumentException(params.length() + " " + params.dtype().id()
          + " parameters, a gradient of " + gradientSum.length() + " " + gradientSum.dtype().id()
          + " values and " + next.length() + " " + next.dtype().id() + " to write: must all match");
    }
    if (next == params || next == gradientSum) {
      throw new IllegalArgumentException("next must not be params or gradientSum");
    }
    if (params.dtype() == Dtype.FLOAT32) {
      return step(params.floats(), gradientSum.floats(), batch, (float) learningRate,
          next.floats());
    }
    return step(params.doubles(), gradientSum.doubles(), batch, learningRate, next.doubles());
  }

  /** {@code next = p - lr * (g / batch)} in double; whether every value of it is finite. */
  static boolean step(double[] p, double[] g, int batch, double learningRate, double[] next) {
    boolean finite = true;
    for (int i = 0; i < next.length; i++) {
      double v = p[i] - learningRate * (g[i] / batch);
      next[i] = v;
      finite &= Math.abs(v) <= Double.MAX_VALUE;
    }
    return finite;
  }

  /** {@code next = p - lr * (g / batch)} in float; whether every value of it is finite. */
  static boolean step(float[] p, float[] g, int batch, float learningRate, float[] next) {
    boolean finite = true;
    for (int i = 0; i < next.length; i++) {
      float v = p[i] - learningRate * (g[i] / batch);
      next[i] = v;
      finite &= Math.abs(v) <= Float.MAX_VALUE;
    }
    return finite;
  }
}
