package dev.backstream.coordinator.training;

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
    if (params.length != gradientSum.length) {
      throw new IllegalArgumentException(
          params.length + " parameters but a gradient of " + gradientSum.length + " values");
    }
    for (int i = 0; i < params.length; i++) {
      params[i] -= learningRate * (gradientSum[i] / batch);
    }
  }

  /**
   * Whether {@link #step} would leave every parameter finite; computes each value exactly as
   * {@code step} does and modifies nothing.
   */
  public static boolean staysFinite(
      double[] params, double[] gradientSum, int batch, double learningRate) {
    for (int i = 0; i < params.length; i++) {
      if (!Double.isFinite(params[i] - learningRate * (gradientSum[i] / batch))) {
        return false;
      }
    }
    return true;
  }
}
