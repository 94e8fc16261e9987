package dev.backstream.common.nn;

/**
 * The multiplication node of a computational graph: {@code out = x * y}. Backward swaps the inputs:
 * {@code dx = dout * y}, {@code dy = dout * x}. Keeps the inputs of the last forward pass, so one
 * instance serves one node of one graph.
 */
public final class MulLayer {
  private double x;
  private double y;

  /** Computes {@code x * y} and remembers both inputs for {@link #backward}. */
  public double forward(double x, double y) {
    this.x = x;
    this.y = y;
    return x * y;
  }

  /** Returns the derivatives of the output with respect to x and y, scaled by {@code dout}. */
  public ScalarGradients backward(double dout) {
    return new ScalarGradients(dout * y, dout * x);
  }
}
