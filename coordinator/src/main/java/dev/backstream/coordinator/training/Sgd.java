package dev.backstream.coordinator.training;

import dev.backstream.common.nn.Dtype;

/** Plain stochastic gradient descent, {@code p -= lr * (sum / batch)}, as the book's SGD class. */
public final class Sgd {
  private Sgd() {}

  /**
   * Applies one step in place.
   *
   * @param params modified
   * @param gradientSum the batch's summed gradient; not modified
   * @param batch number of samples summed, at least 1
   * @param learningRate positive step size
   */
  public static void step(double[] params, double[] gradientSum, int batch, double learningRate) {
    step(params, gradientSum, batch, learningRate, Dtype.FLOAT64);
  }

  /**
   * Applies one step in place in {@code dtype}: in float32 every operation is a float one, on
   * float values ({@code lr} rounded to float), so the parameters stay float values.
   *
   * @param params modified
   * @param gradientSum the batch's summed gradient; not modified
   * @param batch number of samples summed, at least 1
   * @param learningRate positive step size
   */
  public static void step(
      double[] params, double[] gradientSum, int batch, double learningRate, Dtype dtype) {
    if (params.length != gradientSum.length) {
      throw new IllegalArgumentException(
          params.length + " parameters but a gradient of " + gradientSum.length + " values");
    }
    for (int i = 0; i < params.length; i++) {
      params[i] = updated(params[i], gradientSum[i], batch, learningRate, dtype);
    }
  }

  /** {@code p - lr * (g / batch)}, in float for float32. */
  private static double updated(double p, double g, int batch, double learningRate, Dtype dtype) {
    if (dtype == Dtype.FLOAT32) {
      return (float) p - (float) learningRate * ((float) g / batch);
    }
    return p - learningRate * (g / batch);
  }

  /**
   * Whether {@link #step} would leave every parameter finite; computes each value exactly as
   * {@code step} does and modifies nothing.
   */
  public static boolean staysFinite(
      double[] params, double[] gradientSum, int batch, double learningRate, Dtype dtype) {
    for (int i = 0; i < params.length; i++) {
      if (!Double.isFinite(updated(params[i], gradientSum[i], batch, learningRate, dtype))) {
        return false;
      }
    }
    return true;
  }
}
